package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The kernel seam of the cgroup package: every read, write, mkdir and rmdir of a cgroup file
 * system goes through here, so the managers can be tested against fixture trees without root.
 *
 * <p>Failures are {@link dev.berth.oci.BerthException}s of kind INTERNAL whose message names
 * the file and the kernel's reason, e.g. {@code cannot write "max" to .../memory.max: invalid argument}.
 */
public interface CgroupFs {

    /** The whole content of a cgroup file, as the kernel returns it (trailing newline kept). */
    String read(Path file);

    /**
     * Writes a value with a single write(2): cgroup files take one value per write, and a
     * short or split write would be applied as two values.
     */
    void write(Path file, String value);

    /** Creates one directory; false when it already existed. */
    boolean mkdir(Path dir);

    /**
     * Removes one (cgroup) directory; false when it did not exist. Fails, e.g. with EBUSY,
     * while tasks are still leaving it; callers decide whether to retry.
     */
    boolean rmdir(Path dir);

    boolean exists(Path path);

    /**
     * The directory's inode number, which tells one incarnation of a cgroup path from the next
     * (see {@link ParentMarks}); empty when it does not exist.
     */
    OptionalLong inode(Path dir);

    /** The sub-directories of a directory (child cgroups), in no particular order. */
    List<Path> childDirs(Path dir);

    /** The host's file system. */
    static CgroupFs host() {
        return HostCgroupFs.INSTANCE;
    }
}
