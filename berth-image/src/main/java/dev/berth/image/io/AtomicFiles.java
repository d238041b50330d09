package dev.berth.image.io;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe file writes: data goes to a temp file in the target's directory, is fsynced, renamed
 * over the target (rename(2) is atomic), and the directory is fsynced so the rename itself
 * survives a power loss. A reader sees the old file or the new one, never a mix.
 *
 * <p>Temp files are named {@code .<name>.tmp-<uuid>}; {@link #isTemp} recognizes them so that
 * a store can sweep what a crash left behind.
 */
public final class AtomicFiles {
    private static final String TEMP_MARK = ".tmp-";

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code data} atomically and durably. */
    public static void write(Path target, byte[] data) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + TEMP_MARK + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw BerthException.internal("write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames {@code from} onto {@code to} atomically (replacing it) and fsyncs the target directory. */
    public static void rename(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw BerthException.internal("rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file durably: the unlink is fsynced with its directory. Absent files are fine. */
    public static boolean delete(Path file) {
        try {
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                syncDirectory(file.toAbsolutePath().getParent());
            }
            return deleted;
        } catch (IOException e) {
            throw BerthException.internal("delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** fsync of a directory, so entries created, renamed or removed in it are on disk. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw BerthException.internal("fsync " + dir + ": no such directory", e);
        } catch (IOException e) {
            throw BerthException.internal("fsync " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory and its parents, fsyncing each parent whose entry is new. */
    public static Path createDirectories(Path dir) {
        try {
            Path abs = dir.toAbsolutePath();
            if (Files.isDirectory(abs)) {
                return abs;
            }
            Path parent = abs.getParent();
            if (parent != null) {
                createDirectories(parent);
            }
            try {
                Files.createDirectory(abs);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(abs)) {
                    throw e;
                }
            }
            if (parent != null) {
                syncDirectory(parent);
            }
            return abs;
        } catch (IOException e) {
            throw BerthException.internal("mkdir " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether the name is one of {@link #write}'s temp files. */
    public static boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(TEMP_MARK);
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is swept at the next open
        }
    }
}
