package dev.berth.runtime.sys;

import static dev.berth.runtime.sys.Native.INT;
import static dev.berth.runtime.sys.Native.LONG;
import static dev.berth.runtime.sys.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link Syscalls} on Linux through FFM (glibc). */
public final class LinuxSyscalls implements Syscalls {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int WNOHANG = 1;

    /** Handles, bound on first use (class holder idiom, one per function). */
    private static final class SocketPair {
        static final MethodHandle H = Native.bind("socketpair",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    }

    private static final class Read {
        static final MethodHandle H = Native.bind("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    }

    private static final class Write {
        static final MethodHandle H = Native.bind("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    }

    private static final class Close {
        static final MethodHandle H = Native.bind("close", FunctionDescriptor.of(INT, INT));
    }

    private static final class WaitPid {
        static final MethodHandle H = Native.bind("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT));
    }

    private static final class Kill {
        static final MethodHandle H = Native.bind("kill", FunctionDescriptor.of(INT, INT, INT));
    }

    private static final class Open {
        static final MethodHandle H = Native.bind("open", FunctionDescriptor.of(INT, PTR, INT, INT),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Spawn {
        static final MethodHandle SPAWN = Native.bind("posix_spawn",
                FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, PTR, PTR));
        static final MethodHandle INIT = Native.bind("posix_spawn_file_actions_init",
                FunctionDescriptor.of(INT, PTR));
        static final MethodHandle DUP2 = Native.bind("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(INT, PTR, INT, INT));
        static final MethodHandle DESTROY = Native.bind("posix_spawn_file_actions_destroy",
                FunctionDescriptor.of(INT, PTR));
        /** glibc 2.34+: close every fd from n on in the child. */
        static final MethodHandle CLOSEFROM = Native.bind("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(INT, PTR, INT));
    }

    private static final class FileCalls {
        static final MethodHandle MKNOD = Native.bind("mknod", FunctionDescriptor.of(INT, PTR, INT, LONG));
        static final MethodHandle SYMLINK = Native.bind("symlink", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle LCHOWN = Native.bind("lchown", FunctionDescriptor.of(INT, PTR, INT, INT));
        static final MethodHandle CHMOD = Native.bind("chmod", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle UTIMENSAT = Native.bind("utimensat",
                FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    }

    private static final class XattrCalls {
        static final MethodHandle SET = Native.bind("lsetxattr",
                FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, INT));
        static final MethodHandle GET = Native.bind("lgetxattr",
                FunctionDescriptor.of(LONG, PTR, PTR, PTR, LONG));
        static final MethodHandle LIST = Native.bind("llistxattr", FunctionDescriptor.of(LONG, PTR, PTR, LONG));
    }

    private static final class MountCalls {
        static final MethodHandle MOUNT = Native.bind("mount",
                FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR));
        static final MethodHandle UMOUNT2 = Native.bind("umount2", FunctionDescriptor.of(INT, PTR, INT));
    }

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    @Override
    public void mknod(Path path, int mode, long dev) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) FileCalls.MKNOD.invokeExact(err, arena.allocateFrom(path.toString()), mode, dev);
            check(r, err, "mknod " + path);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void symlink(String target, Path link) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) FileCalls.SYMLINK.invokeExact(err, arena.allocateFrom(target),
                    arena.allocateFrom(link.toString()));
            check(r, err, "symlink " + link);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) FileCalls.LCHOWN.invokeExact(err, arena.allocateFrom(path.toString()), uid, gid);
            check(r, err, "lchown " + path);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void chmod(Path path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) FileCalls.CHMOD.invokeExact(err, arena.allocateFrom(path.toString()), mode);
            check(r, err, "chmod " + path);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void lutimens(Path path, long atimeSeconds, long atimeNanos, long mtimeSeconds, long mtimeNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment times = arena.allocate(LONG, 4); // struct timespec[2]
            times.setAtIndex(LONG, 0, atimeSeconds);
            times.setAtIndex(LONG, 1, atimeNanos);
            times.setAtIndex(LONG, 2, mtimeSeconds);
            times.setAtIndex(LONG, 3, mtimeNanos);
            int r = (int) FileCalls.UTIMENSAT.invokeExact(err, AT_FDCWD, arena.allocateFrom(path.toString()),
                    times, AT_SYMLINK_NOFOLLOW);
            check(r, err, "utimensat " + path);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int r = (int) XattrCalls.SET.invokeExact(err, arena.allocateFrom(path.toString()),
                    arena.allocateFrom(name), v, (long) value.length, 0);
            check(r, err, "lsetxattr " + name + " " + path);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public byte[] lgetxattr(Path path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment p = arena.allocateFrom(path.toString());
            MemorySegment n = arena.allocateFrom(name);
            // xattr values are at most 64 KiB (XATTR_SIZE_MAX)
            MemorySegment buf = arena.allocate(65536);
            long r = (long) XattrCalls.GET.invokeExact(err, p, n, buf, 65536L);
            if (r < 0) {
                int e = Native.errno(err);
                if (e == Errno.ENODATA) {
                    return null;
                }
                throw new Errno("lgetxattr " + name + " " + path, e);
            }
            return buf.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public List<String> llistxattr(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment p = arena.allocateFrom(path.toString());
            MemorySegment buf = arena.allocate(65536);
            long r = (long) XattrCalls.LIST.invokeExact(err, p, buf, 65536L);
            if (r < 0) {
                int e = Native.errno(err);
                if (e == Errno.EOPNOTSUPP) {
                    return List.of();
                }
                throw new Errno("llistxattr " + path, e);
            }
            java.util.ArrayList<String> names = new java.util.ArrayList<>();
            long start = 0;
            for (long i = 0; i < r; i++) {
                if (buf.get(ValueLayout.JAVA_BYTE, i) == 0) {
                    if (i > start) {
                        names.add(buf.asSlice(start, i - start + 1).getString(0));
                    }
                    start = i + 1;
                }
            }
            return names;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void mount(String source, Path target, String fsType, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment type = fsType == null ? MemorySegment.NULL : arena.allocateFrom(fsType);
            MemorySegment options = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int r = (int) MountCalls.MOUNT.invokeExact(err, arena.allocateFrom(source),
                    arena.allocateFrom(target.toString()), type, flags, options);
            check(r, err, "mount " + target);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void umount(Path target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) MountCalls.UMOUNT2.invokeExact(err, arena.allocateFrom(target.toString()), flags);
            check(r, err, "umount " + target);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int[] socketPair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment fds = arena.allocate(INT, 2);
            int r = (int) SocketPair.H.invokeExact(err, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            check(r, err, "socketpair");
            return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final class Pidfd {
        static final MethodHandle OPEN = Native.bind("pidfd_open", FunctionDescriptor.of(INT, INT, INT));
        static final MethodHandle SIGNAL = Native.bind("pidfd_send_signal",
                FunctionDescriptor.of(INT, INT, INT, PTR, INT));
        static final MethodHandle WAITID = Native.bind("waitid", FunctionDescriptor.of(INT, INT, INT, PTR, INT));
    }

    private static final class UnixSockets {
        static final MethodHandle SOCKET = Native.bind("socket", FunctionDescriptor.of(INT, INT, INT, INT));
        static final MethodHandle BIND = Native.bind("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
        static final MethodHandle LISTEN = Native.bind("listen", FunctionDescriptor.of(INT, INT, INT));
        static final MethodHandle ACCEPT4 = Native.bind("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
        static final MethodHandle RECVMSG = Native.bind("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
        static final MethodHandle FCNTL = Native.bind("fcntl", FunctionDescriptor.of(INT, INT, INT, INT),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle IOCTL = Native.bind("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Pipe2 {
        static final MethodHandle H = Native.bind("pipe2", FunctionDescriptor.of(INT, PTR, INT));
    }

    private static final class Poll {
        static final MethodHandle H = Native.bind("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    }

    @Override
    public int spawn(Path program, List<String> argv, int[] keepOpen) {
        return spawn(program, argv, keepOpen, dev.berth.runtime.api.Stdio.INHERIT);
    }

    @Override
    public int spawn(Path program, List<String> argv, int[] keepOpen, dev.berth.runtime.api.Stdio stdio) {
        return posixSpawn(program, argv, stdio, keepOpen, false, LinuxSyscalls::environment);
    }

    @Override
    public int spawnClean(Path program, List<String> argv, Map<String, String> env, dev.berth.runtime.api.Stdio stdio) {
        if (stdio.in() < 0 || stdio.out() < 0 || stdio.err() < 0) {
            throw new IllegalArgumentException("spawnClean needs all three stdio fds");
        }
        List<String> entries = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return posixSpawn(program, argv, stdio, new int[0], true, arena -> cStringArray(arena, entries));
    }

    /**
     * posix_spawn of {@code program}: {@code stdio}'s fds (a negative one: inherited) on 0-2,
     * {@code keepOpen} kept across the exec, and with {@code closeRest} every other fd from 3 on
     * closed in the child, whatever its close-on-exec flag says.
     */
    private static int posixSpawn(Path program, List<String> argv, dev.berth.runtime.api.Stdio stdio, int[] keepOpen,
                                  boolean closeRest, java.util.function.Function<Arena, MemorySegment> environment) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            // glibc's posix_spawn_file_actions_t is 80 bytes on 64-bit; leave room.
            MemorySegment actions = arena.allocate(256, 16);
            int r = (int) Spawn.INIT.invokeExact(err, actions);
            if (r != 0) {
                throw new Errno("posix_spawn_file_actions_init", r);
            }
            try {
                int[] std = {stdio.in(), stdio.out(), stdio.err()};
                for (int target = 0; target < 3; target++) {
                    if (std[target] >= 0) {
                        // dup2 clears close-on-exec on the copy
                        r = (int) Spawn.DUP2.invokeExact(err, actions, std[target], target);
                        if (r != 0) {
                            throw new Errno("posix_spawn_file_actions_adddup2", r);
                        }
                    }
                }
                for (int fd : keepOpen) {
                    // dup2(fd, fd) in a file action clears close-on-exec (glibc >= 2.29).
                    r = (int) Spawn.DUP2.invokeExact(err, actions, fd, fd);
                    if (r != 0) {
                        throw new Errno("posix_spawn_file_actions_adddup2", r);
                    }
                }
                if (closeRest) {
                    r = (int) Spawn.CLOSEFROM.invokeExact(err, actions, 3);
                    if (r != 0) {
                        throw new Errno("posix_spawn_file_actions_addclosefrom_np", r);
                    }
                }
                MemorySegment path = arena.allocateFrom(program.toString());
                MemorySegment args = cStringArray(arena, argv);
                MemorySegment env = environment.apply(arena);
                MemorySegment pid = arena.allocate(INT);
                r = (int) Spawn.SPAWN.invokeExact(err, pid, path, actions, MemorySegment.NULL, args, env);
                if (r != 0) {
                    throw new Errno("posix_spawn " + program, r);
                }
                return pid.get(INT, 0);
            } finally {
                r = (int) Spawn.DESTROY.invokeExact(err, actions);
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment environment(Arena arena) {
        Map<String, String> env = System.getenv();
        String[] entries = new String[env.size()];
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            entries[i++] = e.getKey() + "=" + e.getValue();
        }
        return cStringArray(arena, List.of(entries));
    }

    private static MemorySegment cStringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(PTR, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(PTR, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(PTR, strings.size(), MemorySegment.NULL);
        return array;
    }

    @Override
    public int waitPid(int pid) {
        return waitPid(pid, 0);
    }

    @Override
    public int waitPidNoHang(int pid) {
        return waitPid(pid, WNOHANG);
    }

    private int waitPid(int pid, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment status = arena.allocate(INT);
            while (true) {
                int r = (int) WaitPid.H.invokeExact(err, pid, status, options);
                if (r == pid) {
                    return status.get(INT, 0);
                }
                if (r == 0) {
                    return -1;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new Errno("waitpid " + pid, e);
                }
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Kill.H.invokeExact(err, pid, signal);
            check(r, err, "kill " + pid);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public byte[] read(int fd, int max) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment buf = arena.allocate(max);
            while (true) {
                long n = (long) Read.H.invokeExact(err, fd, buf, (long) max);
                if (n >= 0) {
                    return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new Errno("read fd " + fd, e);
                }
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void writeAll(int fd, byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                long n = (long) Write.H.invokeExact(err, fd, buf.asSlice(off), (long) data.length - off);
                if (n < 0) {
                    int e = Native.errno(err);
                    if (e == Errno.EINTR) {
                        continue;
                    }
                    throw new Errno("write fd " + fd, e);
                }
                off += n;
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Close.H.invokeExact(err, fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int open(Path path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Open.H.invokeExact(err, arena.allocateFrom(path.toString()), flags, 0);
            check(r, err, "open " + path);
            return r;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final int O_CLOEXEC = 02000000;
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int CLD_EXITED = 1;
    private static final short POLLIN = 1;

    @Override
    public int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment fds = arena.allocate(INT, 2);
            int r = (int) Pipe2.H.invokeExact(err, fds, O_CLOEXEC);
            check(r, err, "pipe2");
            return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int pidfdOpen(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Pidfd.OPEN.invokeExact(err, pid, 0);
            check(r, err, "pidfd_open " + pid);
            return r;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void pidfdSendSignal(int pidfd, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Pidfd.SIGNAL.invokeExact(err, pidfd, signal, MemorySegment.NULL, 0);
            check(r, err, "pidfd_send_signal " + signal);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int pidfdReap(int pidfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            // siginfo_t: si_signo 0, si_errno 4, si_code 8, si_pid 16, si_uid 20, si_status 24
            MemorySegment info = arena.allocate(128, 8);
            while (true) {
                int r = (int) Pidfd.WAITID.invokeExact(err, P_PIDFD, pidfd, info, WEXITED | WNOHANG);
                if (r == 0) {
                    if (info.get(INT, 16) == 0) {
                        return -1; // WNOHANG and still running
                    }
                    int code = info.get(INT, 8);
                    int status = info.get(INT, 24);
                    return code == CLD_EXITED ? (status & 0xff) << 8 : status & 0x7f;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new Errno("waitid pidfd " + pidfd, e);
                }
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public boolean[] pollIn(int[] fds, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment set = arena.allocate(8L * Math.max(1, fds.length), 4);
            for (int i = 0; i < fds.length; i++) {
                set.set(INT, 8L * i, fds[i]);
                set.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
            }
            boolean[] ready = new boolean[fds.length];
            int r = (int) Poll.H.invokeExact(err, set, (long) fds.length, timeoutMillis);
            if (r < 0) {
                int e = Native.errno(err);
                if (e == Errno.EINTR) {
                    return ready;
                }
                throw new Errno("poll", e);
            }
            for (int i = 0; i < fds.length; i++) {
                ready[i] = set.get(ValueLayout.JAVA_SHORT, 8L * i + 6) != 0;
            }
            return ready;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int listenUnix(Path path) {
        byte[] p = path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (p.length > 107) {
            throw new Errno("bind " + path + " (path longer than 107 bytes)", 36 /* ENAMETOOLONG */);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int fd = (int) UnixSockets.SOCKET.invokeExact(err, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            check(fd, err, "socket");
            MemorySegment addr = arena.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            int r = (int) UnixSockets.BIND.invokeExact(err, fd, addr, 110);
            if (r == 0) {
                r = (int) UnixSockets.LISTEN.invokeExact(err, fd, 1);
            }
            if (r < 0) {
                int e = Native.errno(err);
                close(fd);
                throw new Errno("listen on " + path, e);
            }
            return fd;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int accept(int listener, int timeoutMillis) {
        if (!pollIn(new int[] {listener}, timeoutMillis)[0]) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int fd = (int) UnixSockets.ACCEPT4.invokeExact(err, listener, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            check(fd, err, "accept");
            return fd;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int receiveFd(int socket) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            // struct msghdr (x86_64/aarch64): name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48
            MemorySegment data = arena.allocate(256);
            MemorySegment iov = arena.allocate(16);
            iov.set(PTR, 0, data);
            iov.set(LONG, 8, 256L);
            MemorySegment control = arena.allocate(64, 8);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(PTR, 16, iov);
            msg.set(LONG, 24, 1L);
            msg.set(PTR, 32, control);
            msg.set(LONG, 40, 64L);
            long n = (long) UnixSockets.RECVMSG.invokeExact(err, socket, msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            if (n < 0) {
                throw new Errno("recvmsg", Native.errno(err));
            }
            // struct cmsghdr: len 0 (size_t), level 8, type 12, data 16
            if (msg.get(LONG, 40) < 20 || control.get(INT, 8) != 1 || control.get(INT, 12) != 1) {
                throw new Errno("recvmsg: no SCM_RIGHTS in the message", 22);
            }
            return control.get(INT, 16);
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int dup(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) UnixSockets.FCNTL.invokeExact(err, fd, 1030 /* F_DUPFD_CLOEXEC */, 3);
            check(r, err, "dup fd " + fd);
            return r;
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void setWindowSize(int fd, int rows, int columns) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            MemorySegment ws = arena.allocate(8, 2);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) columns);
            int r = (int) UnixSockets.IOCTL.invokeExact(err, fd, 0x5414L /* TIOCSWINSZ */, ws);
            check(r, err, "ioctl TIOCSWINSZ");
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final class Namespaces {
        static final MethodHandle UNSHARE = Native.bind("unshare", FunctionDescriptor.of(INT, INT));
        static final MethodHandle SETNS = Native.bind("setns", FunctionDescriptor.of(INT, INT, INT));
    }

    @Override
    public void unshare(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Namespaces.UNSHARE.invokeExact(err, flags);
            check(r, err, "unshare");
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void setns(int fd, int nstype) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int r = (int) Namespaces.SETNS.invokeExact(err, fd, nstype);
            check(r, err, "setns");
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    /** struct ifreq: the name (IFNAMSIZ 16 bytes), then a union whose first member here is short ifr_flags. */
    private static final int IFREQ_SIZE = 40;

    @Override
    public void interfaceUp(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > 15) {
            throw new IllegalArgumentException("interface name must be 1 to 15 characters: " + name);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            int fd = (int) UnixSockets.SOCKET.invokeExact(err, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            check(fd, err, "socket");
            try {
                MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
                MemorySegment.copy(bytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, bytes.length);
                int r = (int) UnixSockets.IOCTL.invokeExact(err, fd, SIOCGIFFLAGS, ifr);
                check(r, err, "ioctl SIOCGIFFLAGS " + name);
                short flags = ifr.get(ValueLayout.JAVA_SHORT, 16);
                if ((flags & IFF_UP) == 0) {
                    ifr.set(ValueLayout.JAVA_SHORT, 16, (short) (flags | IFF_UP));
                    r = (int) UnixSockets.IOCTL.invokeExact(err, fd, SIOCSIFFLAGS, ifr);
                    check(r, err, "ioctl SIOCSIFFLAGS " + name);
                }
            } finally {
                close(fd);
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(int r, MemorySegment err, String call) {
        if (r < 0) {
            throw new Errno(call, Native.errno(err));
        }
    }
}
