package dev.berth.cli.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where `save` and `export` put the tar the daemon streams: standard output, or with -o a file
 * that appears whole or not at all (written beside it under a temporary name, then renamed).
 */
public final class ArchiveOutput {
    private ArchiveOutput() {}

    /** Copies {@code body} to {@code target}, or to {@code stdout} when target is null. */
    public static void write(InputStream body, Path target, PrintStream stdout) throws IOException {
        if (target == null) {
            body.transferTo(stdout);
            stdout.flush();
            return;
        }
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        temp.toFile().deleteOnExit(); // interrupted by ^C: no half-written file left behind
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                body.transferTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
