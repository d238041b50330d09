package dev.berth.engine.network.kernel;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Network namespaces kept alive by a bind mount, one file per container under a directory
 * (as {@code ip netns} does under /run/netns): a thread unshares a new namespace, binds
 * {@code /proc/thread-self/ns/net} onto the file and ends; the mount alone keeps the namespace.
 */
final class NetnsPins {
    private static final long MS_BIND = 4096;
    private static final int EINVAL = 22;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Syscalls sys;
    private final Path dir;

    NetnsPins(Syscalls sys, Path dir) {
        this.sys = sys;
        this.dir = dir;
    }

    Path path(String containerId) {
        if (!SAFE_NAME.matcher(containerId).matches()) {
            throw BerthException.invalid("invalid container id for a network namespace: " + containerId);
        }
        return dir.resolve(containerId);
    }

    /** Creates and pins a namespace; an existing pin is kept (idempotent). */
    Path create(String containerId) {
        Path file = path(containerId);
        if (isPinned(file)) {
            return file;
        }
        try {
            Files.createDirectories(dir);
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // a file left by a crash between create and mount: pin over it
        } catch (IOException e) {
            throw BerthException.internal("creating " + file + ": " + e.getMessage(), e);
        }
        try {
            NetnsThread.onFreshThread("berth-netns-create", () -> {
                sys.unshare(Syscalls.CLONE_NEWNET);
                sys.mount("/proc/thread-self/ns/net", file, null, MS_BIND, null);
                return null;
            });
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw BerthException.internal("creating the network namespace of " + containerId + ": "
                    + e.getMessage(), e);
        }
        return file;
    }

    /** Unpins (lazy unmount) and deletes; nothing when there is no such file. */
    void remove(String containerId) {
        Path file = path(containerId);
        if (!Files.exists(file)) {
            return;
        }
        // more than one mount when two creates raced: take them all off
        for (int i = 0; i < 8 && isPinned(file); i++) {
            try {
                sys.umount(file, Syscalls.MNT_DETACH);
            } catch (Errno e) {
                // EINVAL: not a mount point (a half-made pin); ENOENT: gone meanwhile
                if (e.errno() != EINVAL && e.errno() != Errno.ENOENT) {
                    throw BerthException.internal("unpinning " + file + ": " + e.getMessage(), e);
                }
                break;
            }
        }
        deleteQuietly(file);
    }

    /** The names of the files in the directory (pinned or half-made: both need cleaning). */
    List<String> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            files.forEach(f -> names.add(f.getFileName().toString()));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw BerthException.internal("listing " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when something is mounted on the file: its device differs from its directory's (an
     * nsfs bind mount has the nsfs device). A stat each instead of reading /proc/self/mountinfo,
     * which grows with every container's mounts.
     */
    boolean isPinned(Path file) {
        try {
            Object fileDev = Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object dirDev = Files.getAttribute(file.toAbsolutePath().getParent(), "unix:dev");
            return !fileDev.equals(dirDev);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw BerthException.internal("stat " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a later remove or recovery tries again
        }
    }
}
