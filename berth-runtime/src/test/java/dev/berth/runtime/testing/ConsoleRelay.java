package dev.berth.runtime.testing;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A console socket for tests, like runc's recvtty: it receives a container's pty master and
 * relays between it and two fds (a terminal in raw mode, with its window size, when in is one).
 *
 * <pre>{@code
 * try (ConsoleRelay relay = ConsoleRelay.open()) {
 *     int code = runtime.run(options.withConsoleSocket(relay.socket()), false);
 *     relay.drain();
 * }
 * }</pre>
 */
public final class ConsoleRelay implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM_CLOEXEC = 1 | 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int TERMIOS_SIZE = 64;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private final Arena arena = Arena.ofShared();
    private final Path dir;
    private final Path socket;
    private final int listenFd;
    private final int in;
    private final int out;
    private volatile int master = -1;
    private MemorySegment savedTermios;
    private final Thread output;

    private ConsoleRelay(Path dir, Path socket, int listenFd, int in, int out) {
        this.dir = dir;
        this.socket = socket;
        this.listenFd = listenFd;
        this.in = in;
        this.out = out;
        this.output = Thread.ofPlatform().daemon().name("console-output").unstarted(this::relayOutput);
    }

    /** A relay between our stdin/stdout and the terminal that the console socket will receive. */
    public static ConsoleRelay open() {
        return open(0, 1);
    }

    /**
     * A listening console socket in a new private directory, and the thread that will take the
     * master and relay it: from in to the terminal and from the terminal to out.
     */
    public static ConsoleRelay open(int in, int out) {
        Path dir;
        try {
            dir = Files.createTempDirectory("berth-console");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path socket = dir.resolve("sock");
        int fd = (Integer) call("socket", FunctionDescriptor.of(INT, INT, INT, INT), AF_UNIX, SOCK_STREAM_CLOEXEC, 0);
        if (fd < 0) {
            throw BerthException.internal("console socket: socket failed", null);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            byte[] p = socket.toString().getBytes(StandardCharsets.UTF_8);
            if (p.length >= 108) {
                throw BerthException.internal("console socket path too long: " + socket, null);
            }
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            if ((Integer) call("bind", FunctionDescriptor.of(INT, INT, PTR, INT), fd, addr, 110) < 0
                    || (Integer) call("listen", FunctionDescriptor.of(INT, INT, INT), fd, 1) < 0) {
                call("close", FunctionDescriptor.of(INT, INT), fd);
                throw BerthException.internal("console socket: cannot listen on " + socket, null);
            }
        }
        ConsoleRelay relay = new ConsoleRelay(dir, socket, fd, in, out);
        relay.output.start();
        return relay;
    }

    /** The socket to pass as the console socket. */
    public Path socket() {
        return socket;
    }

    /** Waits (bounded) until the process's output has been copied: the pty hangs up when the last holder exits. */
    public void drain() {
        try {
            output.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        restoreTerminal();
        call("close", FunctionDescriptor.of(INT, INT), listenFd);
        int m = master;
        if (m >= 0 && !output.isAlive()) {
            call("close", FunctionDescriptor.of(INT, INT), m);
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private void relayOutput() {
        int conn = (Integer) call("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT),
                listenFd, MemorySegment.NULL, MemorySegment.NULL, 02000000);
        if (conn < 0) {
            return;
        }
        int m = receiveFd(conn);
        call("close", FunctionDescriptor.of(INT, INT), conn);
        if (m < 0) {
            return;
        }
        master = m;
        setUpTerminal(m);
        Thread.ofPlatform().daemon().name("console-input").start(() -> copy(in, m));
        copy(m, out);
    }

    /** Copies from one fd to another until EOF or an error (EIO on the master once the pty hangs up). */
    private static void copy(int from, int to) {
        MethodHandle read = handle("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
        MethodHandle write = handle("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(8192);
            while (true) {
                long n = (long) read.invokeExact(from, buf, 8192L);
                if (n <= 0) {
                    return;
                }
                long off = 0;
                while (off < n) {
                    long w = (long) write.invokeExact(to, buf.asSlice(off), n - off);
                    if (w <= 0) {
                        return;
                    }
                    off += w;
                }
            }
        } catch (Throwable t) {
            // a relay that cannot go on ends; the process's exit status still comes back
        }
    }

    /** recvmsg with room for one SCM_RIGHTS fd; -1 when none came. */
    private static int receiveFd(int conn) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(4096);
            MemorySegment iov = a.allocate(16, 8);
            iov.set(PTR, 0, data);
            iov.set(LONG, 8, 4096L);
            MemorySegment control = a.allocate(64, 8);
            MemorySegment msg = a.allocate(56, 8);
            msg.set(PTR, 16, iov);
            msg.set(LONG, 24, 1L);
            msg.set(PTR, 32, control);
            msg.set(LONG, 40, 64L);
            long n = (Long) call("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT), conn, msg, 0);
            if (n < 0 || msg.get(LONG, 40) < 20) {
                return -1;
            }
            if (control.get(INT, 8) != SOL_SOCKET || control.get(INT, 12) != SCM_RIGHTS) {
                return -1;
            }
            return control.get(INT, 16);
        }
    }

    /** Raw mode on our stdin when it is a terminal, and its window size on the container's. */
    private void setUpTerminal(int m) {
        if ((Integer) call("isatty", FunctionDescriptor.of(INT, INT), in) != 1) {
            return;
        }
        MemorySegment ws = arena.allocate(8);
        MethodHandle ioctl = handle("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), Linker.Option.firstVariadicArg(2));
        try {
            if ((int) ioctl.invokeExact(in, TIOCGWINSZ, ws) == 0) {
                int ignored = (int) ioctl.invokeExact(m, TIOCSWINSZ, ws);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        MemorySegment saved = arena.allocate(TERMIOS_SIZE);
        if ((Integer) call("tcgetattr", FunctionDescriptor.of(INT, INT, PTR), in, saved) != 0) {
            return;
        }
        MemorySegment raw = arena.allocate(TERMIOS_SIZE);
        raw.copyFrom(saved);
        call("cfmakeraw", FunctionDescriptor.ofVoid(PTR), raw);
        if ((Integer) call("tcsetattr", FunctionDescriptor.of(INT, INT, INT, PTR), in, 0, raw) == 0) {
            synchronized (this) {
                savedTermios = saved;
            }
        }
    }

    private synchronized void restoreTerminal() {
        if (savedTermios != null) {
            call("tcsetattr", FunctionDescriptor.of(INT, INT, INT, PTR), in, 0, savedTermios);
            savedTermios = null;
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static Object call(String name, FunctionDescriptor fd, Object... args) {
        try {
            return handle(name, fd).invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + ": " + t, t);
        }
    }
}
