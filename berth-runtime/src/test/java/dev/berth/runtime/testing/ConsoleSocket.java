package dev.berth.runtime.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The receiving end of runc's --console-socket, for tests: listens on a unix socket, accepts
 * one connection and takes the pty master out of its SCM_RIGHTS message. Java's channels cannot
 * receive file descriptors, so this calls libc through FFM (x86_64/aarch64 struct layouts).
 */
public final class ConsoleSocket implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT = bind("accept", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(INT, INT, INT));

    private final Path path;
    private final int listener;
    private final CompletableFuture<Received> received = new CompletableFuture<>();
    private final StringBuilder output = new StringBuilder();

    /** The master and the pty name the runtime sent with it (runc sends the slave's path). */
    public record Received(int master, String name) {}

    private ConsoleSocket(Path path, int listener) {
        this.path = path;
        this.listener = listener;
    }

    /** Listens at path and accepts one connection in the background. */
    public static ConsoleSocket listen(Path path) {
        int fd = call("socket", SOCKET, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */ | 0x80000 /* SOCK_CLOEXEC */, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(110);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
            if (p.length > 107) {
                throw new IllegalArgumentException("socket path too long: " + path);
            }
            MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
            call("bind " + path, BIND, fd, addr, 110);
            call("listen", LISTEN, fd, 1);
        }
        ConsoleSocket s = new ConsoleSocket(path, fd);
        Thread.ofPlatform().daemon().name("console-socket").start(s::acceptOne);
        return s;
    }

    public Path path() {
        return path;
    }

    private void acceptOne() {
        try (Arena arena = Arena.ofConfined()) {
            int conn = call("accept", ACCEPT, listener, MemorySegment.NULL, MemorySegment.NULL);
            try {
                MemorySegment name = arena.allocate(256);
                MemorySegment iov = arena.allocate(16);
                iov.set(PTR, 0, name);
                iov.set(LONG, 8, 255);
                MemorySegment control = arena.allocate(64);
                MemorySegment msg = arena.allocate(56);
                msg.set(PTR, 16, iov);
                msg.set(LONG, 24, 1);
                msg.set(PTR, 32, control);
                msg.set(LONG, 40, 64);
                long n = callLong("recvmsg", RECVMSG, conn, msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
                int level = control.get(INT, 8);
                int type = control.get(INT, 12);
                if (msg.get(LONG, 40) < 20 || level != 1 /* SOL_SOCKET */ || type != 1 /* SCM_RIGHTS */) {
                    throw new IllegalStateException("console socket: no file descriptor in the message");
                }
                int master = control.get(INT, 16);
                received.complete(new Received(master, new String(name.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)));
            } finally {
                close(conn);
            }
        } catch (RuntimeException e) {
            received.completeExceptionally(e);
        }
    }

    /** The master, once the runtime sent it (waits up to 10 s). */
    public Received received() {
        try {
            return received.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no pty master received on " + path, e);
        }
    }

    public boolean wasReceived() {
        return received.isDone() && !received.isCompletedExceptionally();
    }

    /** Writes text to the master, as a user typing. */
    public void type(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(b.length);
            MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, 0, b.length);
            callLong("write", WRITE, received().master(), buf, (long) b.length);
        }
    }

    /**
     * Reads from the master until what the container wrote holds expected, or 10 s pass; returns
     * everything read so far (the terminal turns "\n" into "\r\n").
     */
    public String readUntil(String expected) {
        int master = received().master();
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8);
            MemorySegment buf = arena.allocate(4096);
            while (!output.toString().contains(expected) && System.nanoTime() < deadline) {
                pfd.set(INT, 0, master);
                pfd.set(ValueLayout.JAVA_SHORT, 4, (short) 1 /* POLLIN */);
                pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int ready = call("poll", POLL, pfd, 1L, 100);
                if (ready == 0) {
                    continue;
                }
                long n;
                try {
                    n = callLong("read", READ, master, buf, 4096L);
                } catch (IllegalStateException e) {
                    break; // EIO: every slave closed, the container's side is gone
                }
                if (n <= 0) {
                    break;
                }
                output.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
        }
        return output.toString();
    }

    @Override
    public void close() {
        callQuietly(SHUTDOWN, listener);
        close(listener);
        received.thenAccept(r -> close(r.master()));
        received.completeExceptionally(new IllegalStateException("closed"));
    }

    private static void callQuietly(MethodHandle h, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) h.invokeExact(arena.allocate(CAPTURE), fd, 2);
        } catch (Throwable ignored) {
            // best effort: wakes a blocked accept
        }
    }

    private static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(CAPTURE), fd);
        } catch (Throwable ignored) {
            // closing is best effort
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow();
        return LINKER.downcallHandle(symbol, fd, Linker.Option.captureCallState("errno"));
    }

    private static int call(String what, MethodHandle h, Object... args) {
        return (int) callLong(what, h, args);
    }

    private static long callLong(String what, MethodHandle h, Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            Object[] all = new Object[args.length + 1];
            all[0] = capture;
            System.arraycopy(args, 0, all, 1, args.length);
            Object r = h.invokeWithArguments(all);
            long v = r instanceof Integer i ? i : (Long) r;
            if (v < 0) {
                throw new IllegalStateException(what + ": errno " + (int) ERRNO.get(capture, 0L));
            }
            return v;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
    }
}
