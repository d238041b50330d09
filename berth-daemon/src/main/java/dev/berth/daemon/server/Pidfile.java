package dev.berth.daemon.server;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The daemon's pid file. A file naming a live process means another berthd (or a reused pid:
 * the user decides) and is refused with dockerd's words; a stale one is replaced.
 */
public final class Pidfile implements AutoCloseable {
    private final Path path;

    private Pidfile(Path path) {
        this.path = path;
    }

    public static Pidfile create(Path path, long pid) {
        try {
            String existing = Files.readString(path, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty() && existing.chars().allMatch(Character::isDigit)
                    && Long.parseLong(existing) != pid && Files.exists(Path.of("/proc", existing))) {
                throw BerthException.conflict("pid file found, ensure berthd is not running or delete " + path);
            }
        } catch (NoSuchFileException | NumberFormatException e) {
            // nothing there, or nothing that names a pid: ours to write
        } catch (IOException e) {
            throw BerthException.internal("reading pid file " + path + ": " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(path.getParent());
            Path temp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(temp, Long.toString(pid), StandardCharsets.UTF_8);
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw BerthException.internal("writing pid file " + path + ": " + e.getMessage(), e);
        }
        return new Pidfile(path);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // leaving a stale pid file behind is harmless: the next start sees no live process
        }
    }
}
