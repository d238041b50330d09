package dev.berth.cli.tty;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * A terminal in raw mode and back, through libc with the FFM API: {@code tcgetattr},
 * {@code cfmakeraw} (the same flags the docker CLI's term.MakeRaw clears), {@code tcsetattr}
 * and {@code ioctl(TIOCGWINSZ)}. berth-cli has its own few bindings rather than depending on
 * berth-runtime's syscall layer, which would bring the OCI runtime onto the CLI's class path
 * for four functions.
 */
@SuppressWarnings("restricted") // bin/berth enables native access
public final class RawTerminal implements AutoCloseable {
    private static final long TERMIOS_SIZE = 64; // struct termios is 60 bytes on Linux
    private static final int TCSANOW = 0;
    private static final long TIOCGWINSZ = 0x5413L;

    private final int fd;
    private final MemorySegment saved;
    private boolean restored;

    private RawTerminal(int fd, MemorySegment saved) {
        this.fd = fd;
        this.saved = saved;
    }

    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle TCGETATTR = bind("tcgetattr",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle TCSETATTR = bind("tcsetattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle CFMAKERAW = LINKER.downcallHandle(LINKER.defaultLookup().find("cfmakeraw").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));

        private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
            Linker.Option[] options = new Linker.Option[extra.length + 1];
            options[0] = Linker.Option.captureCallState("errno");
            System.arraycopy(extra, 0, options, 1, extra.length);
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
        }
    }

    /**
     * Puts {@code fd} in raw mode; {@link #close()} restores what it was.
     *
     * @throws IllegalStateException when the terminal settings cannot be read or set
     */
    public static RawTerminal makeRaw(int fd) {
        MemorySegment saved = Arena.global().allocate(TERMIOS_SIZE, 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Libc.CAPTURE);
            int r = (int) Libc.TCGETATTR.invokeExact(errno, fd, saved);
            check(r, errno, "tcgetattr");
            MemorySegment raw = arena.allocate(TERMIOS_SIZE, 8);
            raw.copyFrom(saved);
            Libc.CFMAKERAW.invokeExact(raw);
            r = (int) Libc.TCSETATTR.invokeExact(errno, fd, TCSANOW, raw);
            check(r, errno, "tcsetattr");
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("raw terminal: " + t, t);
        }
        return new RawTerminal(fd, saved);
    }

    /** The terminal's size, or empty when {@code fd} is not a terminal. */
    public static Optional<WindowSize> size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Libc.CAPTURE);
            MemorySegment ws = arena.allocate(8, 2);
            int r = (int) Libc.IOCTL.invokeExact(errno, fd, TIOCGWINSZ, ws);
            if (r < 0) {
                return Optional.empty();
            }
            int rows = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0));
            int columns = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2));
            return Optional.of(new WindowSize(rows, columns));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    private static void check(int r, MemorySegment errno, String call) {
        if (r < 0) {
            int e = (int) Libc.ERRNO.get(errno, 0L);
            throw new IllegalStateException(call + ": errno " + e);
        }
    }

    /** Restores the saved settings; safe to call more than once and from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (restored) {
            return;
        }
        restored = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Libc.CAPTURE);
            int ignored = (int) Libc.TCSETATTR.invokeExact(errno, fd, TCSANOW, saved);
        } catch (Throwable t) {
            // nothing better to do while exiting
        }
    }
}
