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

    @Override
    public int spawn(Path program, List<String> argv, int[] keepOpen) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Native.captureSegment(arena);
            // glibc's posix_spawn_file_actions_t is 80 bytes on 64-bit; leave room.
            MemorySegment actions = arena.allocate(256, 16);
            int r = (int) Spawn.INIT.invokeExact(err, actions);
            if (r != 0) {
                throw new Errno("posix_spawn_file_actions_init", r);
            }
            try {
                for (int fd : keepOpen) {
                    // dup2(fd, fd) in a file action clears close-on-exec (glibc >= 2.29).
                    r = (int) Spawn.DUP2.invokeExact(err, actions, fd, fd);
                    if (r != 0) {
                        throw new Errno("posix_spawn_file_actions_adddup2", r);
                    }
                }
                MemorySegment path = arena.allocateFrom(program.toString());
                MemorySegment args = cStringArray(arena, argv);
                MemorySegment env = environment(arena);
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

    private static void check(int r, MemorySegment err, String call) {
        if (r < 0) {
            throw new Errno(call, Native.errno(err));
        }
    }
}
