package dev.berth.image.archive;

import dev.berth.image.io.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The temp files of image transfer under {@code <data-root>/tmp}, and their removal after a crash. */
final class TempFiles {
    /** Prefixes berth's image transfer and bootstrap use; nothing else in tmp is touched. */
    private static final List<String> OURS = List.of("load-", "layer-", "bootstrap-");

    private TempFiles() {
    }

    /** Removes what a dead daemon left; a directory with something still mounted inside is left alone. */
    static void sweep(Path tempDir) {
        if (!Files.isDirectory(tempDir)) {
            return;
        }
        List<Path> leftovers;
        try (Stream<Path> s = Files.list(tempDir)) {
            leftovers = s.filter(p -> OURS.stream().anyMatch(p.getFileName().toString()::startsWith)).toList();
        } catch (IOException e) {
            return;
        }
        for (Path p : leftovers) {
            if (!hasMountsUnder(p)) {
                FileTrees.deleteQuietly(p);
            }
        }
    }

    static boolean hasMountsUnder(Path dir) {
        String prefix = dir.toAbsolutePath() + "/";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && fields[1].replace("\\040", " ").startsWith(prefix)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true; // unsure: better leave it
        }
        return false;
    }
}
