package dev.berth.cli.commands.cp;

import dev.berth.cli.CommandFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A local destination after its symlinks are followed (docker's CopyInfoDestinationPath). */
record LocalDestination(String path, boolean exists, boolean isDir) {
    static LocalDestination of(String path) throws IOException {
        String p = path;
        for (int n = 0; Files.isSymbolicLink(Path.of(p)); n++) {
            if (n > 10) {
                throw new CommandFailed("too many symlinks in " + path);
            }
            String target = Files.readSymbolicLink(Path.of(p)).toString();
            p = target.startsWith("/") ? target : CopyPaths.clean(CopyPaths.splitDirEntry(p).dir() + "/" + target);
        }
        Path resolved = Path.of(p);
        if (Files.exists(resolved)) {
            return new LocalDestination(p, true, Files.isDirectory(resolved));
        }
        Path parent = Path.of(CopyPaths.splitDirEntry(p).dir());
        if (!Files.exists(parent)) {
            throw new CommandFailed("stat " + parent + ": no such file or directory");
        }
        if (!Files.isDirectory(parent)) {
            throw new CommandFailed("not a directory");
        }
        return new LocalDestination(p, false, false);
    }
}
