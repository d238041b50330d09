package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The parent cgroups berth made, so that whichever berth process removes the last container
 * under a parent removes the parent too, not only the one whose create happened to make it.
 *
 * <p>A parent is shared: container A makes {@code /berth}, container B finds it there, A is
 * removed first (the parent still holds B), then B, which did not make it. Each container's
 * persisted list of the directories its create made cannot say that berth made the parent;
 * a mark can. A parent berth did not make (an admin's {@code /berth} with limits on it, a
 * user's {@code /system.slice}) has no mark and is never removed.
 *
 * <p>Marks are empty files in one host-wide directory, not under a runtime's state root: two
 * daemons with different roots (tests, a berthd next to berth-runtime) share {@code /berth}.
 * cgroupfs itself takes no files. The directory is on tmpfs ({@code /run}), so marks last as
 * long as the cgroups they describe: until the next boot. A mark names the parent's path and
 * the inode number of the directory it was made for. A mark can outlive its directory (its
 * remover died between rmdir and unmark); it then never claims a directory made again at that
 * path (by an admin, say), which has another inode, and the remover of one incarnation never
 * deletes the next one's mark. No lock is needed.
 *
 * <p>Marking is best effort: a host where the directory cannot be written (rootless, read-only
 * /run) loses only the clean-up of shared parents, as before marks existed.
 */
public final class ParentMarks {
    /** Where berth's runtimes on this host keep their marks. */
    public static final Path HOST_DIR = Path.of("/run/berth-cgroup-parents");
    /** A file name stays well below NAME_MAX (255) with its suffix; longer paths are hashed. */
    private static final int MAX_READABLE_NAME = 200;
    private static final ParentMarks NONE = new ParentMarks(null);

    private final Path dir;

    private ParentMarks(Path dir) {
        this.dir = dir;
    }

    /** Marks kept in dir (created on the first mark, removed again once empty). */
    public static ParentMarks in(Path dir) {
        return new ParentMarks(dir);
    }

    /** The host's marks, shared by every berth runtime on it. */
    public static ParentMarks host() {
        return in(HOST_DIR);
    }

    /** No marks: only the parents a container's own create made are removed with it. */
    public static ParentMarks none() {
        return NONE;
    }

    /** Records that berth made this incarnation (inode) of parent. */
    void mark(Path parent, long inode) {
        if (dir == null) {
            return;
        }
        Path file = file(parent, inode);
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                Files.createDirectories(dir);
                Files.createFile(file);
                return;
            } catch (FileAlreadyExistsException e) {
                return;
            } catch (NoSuchFileException e) {
                // the directory was removed as empty by an unmark in between: make it again
            } catch (IOException e) {
                return; // best effort, see the class comment
            }
        }
    }

    boolean isMarked(Path parent, long inode) {
        return dir != null && Files.exists(file(parent, inode));
    }

    /** Forgets a parent that has been removed; the directory goes with its last mark. */
    void unmark(Path parent, long inode) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(file(parent, inode));
            Files.delete(dir);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // other parents are still marked, or another unmark removed the directory
        } catch (IOException e) {
            // best effort: a stale mark names an inode no new directory will have
        }
    }

    private Path file(Path parent, long inode) {
        String name = URLEncoder.encode(parent.toString(), StandardCharsets.UTF_8);
        if (name.length() > MAX_READABLE_NAME) {
            name = "sha256-" + sha256(parent.toString());
        }
        return dir.resolve(name + "@" + inode);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return dir == null ? "no parent marks" : "parent marks in " + dir;
    }
}
