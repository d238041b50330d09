package dev.berth.cli.commands.cp;

import dev.berth.cli.CommandFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A local source (docker's CopyInfoSourcePath): links in the parent followed, the last one only with -L. */
record LocalSource(String path, boolean isDir, String rebaseName) {
    static LocalSource of(String path, boolean followLink) throws IOException {
        String resolved;
        String rebase = "";
        try {
            if (followLink) {
                String real = Path.of(path).toRealPath().toString();
                String[] r = CopyPaths.rebaseName(path, real);
                resolved = r[0];
                rebase = r[1];
            } else {
                int slash = path.lastIndexOf('/');
                String dir = path.substring(0, slash + 1);
                String base = path.substring(slash + 1);
                String realDir = Path.of(dir.isEmpty() ? "." : dir).toRealPath().toString();
                resolved = (realDir.equals("/") ? "" : realDir) + "/" + base;
                if (CopyPaths.hasTrailingSeparator(path) && !CopyPaths.base(path).equals(CopyPaths.base(resolved))) {
                    rebase = CopyPaths.base(path);
                }
            }
            Path p = Path.of(resolved);
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(resolved);
            }
            return new LocalSource(resolved, Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS), rebase);
        } catch (NoSuchFileException e) {
            throw new CommandFailed("lstat " + CopyPaths.clean(path) + ": no such file or directory");
        }
    }
}
