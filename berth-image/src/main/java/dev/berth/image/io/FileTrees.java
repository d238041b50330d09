package dev.berth.image.io;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removing a whole tree: layer temp dirs, snapshots, container and volume dirs. Symlinks are
 * removed, never followed, so a tree a container or a layer wrote cannot make us delete
 * outside it. Callers pick how a failure surfaces.
 */
public final class FileTrees {
    private FileTrees() {
    }

    /** Removes the file or directory tree; an absent path is fine. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #delete}, a failure being INTERNAL naming the path. */
    public static void deleteOrFail(Path path) {
        try {
            delete(path);
        } catch (IOException e) {
            throw BerthException.internal("remove " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@link #delete}, best effort: what stays is for the next start's sweep. */
    public static void deleteQuietly(Path path) {
        try {
            delete(path);
        } catch (IOException e) {
            // left for the next sweep
        }
    }
}
