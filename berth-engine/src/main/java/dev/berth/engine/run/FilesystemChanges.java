package dev.berth.engine.run;

import dev.berth.image.snapshot.ContainerMount;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * docker diff from a container's overlay layers: everything in the upper dir is a change; an
 * overlayfs whiteout (a 0:0 character device) is a deletion, a path the lower layers also have
 * is a modification, anything else an addition. Sorted by path, as docker prints them.
 */
public final class FilesystemChanges {
    /** The API's Kind: 0 modified, 1 added, 2 deleted. */
    public enum Kind { MODIFIED, ADDED, DELETED }

    public record Change(String path, Kind kind) {}

    private FilesystemChanges() {}

    public static List<Change> of(ContainerMount m) {
        Path upper = m.upperDir();
        List<Change> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(upper)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(upper)) {
                    continue;
                }
                Path rel = upper.relativize(p);
                String path = "/" + rel;
                if (isWhiteout(p)) {
                    out.add(new Change(path, Kind.DELETED));
                } else if (inLower(m.lowerDirs(), rel)) {
                    out.add(new Change(path, Kind.MODIFIED));
                } else {
                    out.add(new Change(path, Kind.ADDED));
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("changes in " + upper + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean isWhiteout(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0020000) {
            return false;
        }
        long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        return rdev == 0;
    }

    private static boolean inLower(List<Path> lowers, Path rel) {
        for (Path lower : lowers) {
            if (Files.exists(lower.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }
}
