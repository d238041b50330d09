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

    /**
     * spawn with the child's fds 0, 1 and 2 set to {@code stdio}'s (-1 keeps ours), for a
     * daemon that hands a container pipes instead of its own stdio.
     */
    default int spawn(Path program, List<String> argv, int[] keepOpen, dev.berth.runtime.api.Stdio stdio) {
        if (stdio.inherits()) {
            return spawn(program, argv, keepOpen);
        }
        throw new UnsupportedOperationException("spawn with stdio");
    }

    /**
     * Starts a helper program (a CNI plugin, iptables) with exactly {@code env} as its
     * environment, its fds 0-2 on {@code stdio}'s (all three given) and every other fd closed
     * in the child, whatever close-on-exec says: nothing of ours leaks into it. Returns the pid;
     * the caller reaps it (a pidfd).
     */
    default int spawnClean(Path program, List<String> argv, java.util.Map<String, String> env,
                           dev.berth.runtime.api.Stdio stdio) {
        throw new UnsupportedOperationException("spawn with an environment");
    }

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

    // File system calls for layer unpack and pack: all act on the path itself, never on
    // what a final symlink points at (the l- variants), so a hostile layer cannot redirect them.

    /** mknod(2): a device node, fifo or overlayfs whiteout; {@code mode} carries the S_IF* type. */
    void mknod(Path path, int mode, long dev);

    /** symlink(2), the target stored byte for byte as given. */
    void symlink(String target, Path link);

    /** lchown(2): owner of the path itself (a symlink is not followed). */
    void lchown(Path path, int uid, int gid);

    /** chmod(2) with the full 07777 mode (setuid, setgid, sticky included). */
    void chmod(Path path, int mode);

    /** utimensat(2) with AT_SYMLINK_NOFOLLOW: access and modification times in seconds and nanoseconds. */
    void lutimens(Path path, long atimeSeconds, long atimeNanos, long mtimeSeconds, long mtimeNanos);

    /** lsetxattr(2), any namespace (security.*, trusted.*, user.*). */
    void lsetxattr(Path path, String name, byte[] value);

    /** lgetxattr(2); null when the path has no such attribute. */
    byte[] lgetxattr(Path path, String name);

    /** llistxattr(2): the attribute names of the path itself. */
    List<String> llistxattr(Path path);

    /** mount(2); {@code data} may be null. */
    void mount(String source, Path target, String fsType, long flags, String data);

    /** umount2(2). */
    void umount(Path target, int flags);

    int S_IFIFO = 0010000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;
    int MNT_DETACH = 2;

    /** glibc's makedev: the dev_t of a major and minor number. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    // Exit notification without waitpid(-1) (DESIGN.md "Traps"): a pidfd per child.

    /** pipe2(O_CLOEXEC): {read end, write end}. */
    default int[] pipe() {
        throw new UnsupportedOperationException("pipe");
    }

    /** pidfd_open(2): an fd that refers to pid (close-on-exec); it polls readable once pid exits. */
    default int pidfdOpen(int pid) {
        throw new UnsupportedOperationException("pidfd_open");
    }

    /** pidfd_send_signal(2): no risk of signalling a recycled pid. */
    default void pidfdSendSignal(int pidfd, int signal) {
        throw new UnsupportedOperationException("pidfd_send_signal");
    }

    /**
     * waitid(P_PIDFD, pidfd, WEXITED | WNOHANG): reaps the exited child and returns its status
     * as a waitpid status word (exit code in bits 8-15, or the signal in bits 0-6); -1 while it
     * still runs.
     */
    default int pidfdReap(int pidfd) {
        throw new UnsupportedOperationException("waitid P_PIDFD");
    }

    /** poll(2) for input on fds; the result holds, for each fd, whether it is readable (or hung up). */
    default boolean[] pollIn(int[] fds, int timeoutMillis) {
        throw new UnsupportedOperationException("poll");
    }

    // The console socket of a container with a terminal (runc's --console-socket), for the library.

    /** socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC) bound at path and listening. */
    default int listenUnix(Path path) {
        throw new UnsupportedOperationException("listen on a unix socket");
    }

    /** accept(2) on a listening socket, close-on-exec; -1 when nothing connects within timeoutMillis. */
    default int accept(int listener, int timeoutMillis) {
        throw new UnsupportedOperationException("accept");
    }

    /** recvmsg(2) of one SCM_RIGHTS message: the fd it carries (close-on-exec). */
    default int receiveFd(int socket) {
        throw new UnsupportedOperationException("recvmsg SCM_RIGHTS");
    }

    /** fcntl(F_DUPFD_CLOEXEC): a second fd for the same open file. */
    default int dup(int fd) {
        throw new UnsupportedOperationException("dup");
    }

    /** ioctl(TIOCSWINSZ): a terminal's size in rows and columns. */
    default void setWindowSize(int fd, int rows, int columns) {
        throw new UnsupportedOperationException("ioctl TIOCSWINSZ");
    }
    // Network namespaces for the engine's networking (DESIGN.md "Traps": only on a dedicated
    // platform thread, since both calls change the calling thread alone).

    int CLONE_NEWNET = 0x40000000;

    /** unshare(2) of the calling thread, e.g. {@link #CLONE_NEWNET}. */
    default void unshare(int flags) {
        throw new UnsupportedOperationException("unshare");
    }

    /** setns(2): moves the calling thread into the namespace fd refers to; nstype 0 accepts any. */
    default void setns(int fd, int nstype) {
        throw new UnsupportedOperationException("setns");
    }

    /**
     * Sets IFF_UP on a network interface of the calling thread's network namespace
     * (SIOCGIFFLAGS + SIOCSIFFLAGS on a datagram socket): {@code lo} in a fresh namespace
     * without forking {@code ip} or the CNI loopback plugin.
     */
    default void interfaceUp(String name) {
        throw new UnsupportedOperationException("ioctl SIOCSIFFLAGS");
    }
}
