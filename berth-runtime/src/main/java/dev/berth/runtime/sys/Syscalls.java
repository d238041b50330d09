package dev.berth.runtime.sys;

import java.nio.file.Path;
import java.util.List;

/**
 * The kernel seam of the runtime: every system call the Java side makes. The real one is
 * {@link LinuxSyscalls}; tests of policy use a fake. Calls throw {@link Errno} on failure.
 */
public interface Syscalls {

    /** A connected pair of unix stream sockets, both close-on-exec. */
    int[] socketPair();

    /**
     * Starts program with argv, the current environment and our fds 0-2 plus inherited as
     * they are (fds in keepOpen lose close-on-exec in the child only). Returns the pid.
     */
    int spawn(Path program, List<String> argv, int[] keepOpen);

    /** waitpid(pid, 0): the raw wait status. */
    int waitPid(int pid);

    /** waitpid(pid, WNOHANG): the raw status, or -1 while it still runs. */
    int waitPidNoHang(int pid);

    void kill(int pid, int signal);

    byte[] read(int fd, int max);

    void writeAll(int fd, byte[] data);

    void close(int fd);

    /** Opens a path with open(2) flags; returns the fd. */
    int open(Path path, int flags);

    int O_RDONLY = 0;
    int O_WRONLY = 1;
}
