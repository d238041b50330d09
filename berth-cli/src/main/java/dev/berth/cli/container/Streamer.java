package dev.berth.cli.container;

import dev.berth.cli.tty.EscapeProxy;
import dev.berth.cli.tty.RawTerminal;
import dev.berth.client.HijackedStream;
import dev.berth.client.StdCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Moves bytes between the CLI's standard streams and a hijacked attach or exec stream, as the
 * docker CLI's hijackedIOStreamer: stdin (through the detach-key watch, in raw mode on a
 * terminal with a tty) goes up until it ends, then the write side is half-closed; the output
 * comes down raw (tty) or demultiplexed (8-byte frames) until the daemon closes it. The end of
 * output ends the session; the detach keys end it at once.
 */
public final class Streamer implements AutoCloseable {
    /** How a session ended. */
    public enum End { OUTPUT_ENDED, DETACHED }

    private final HijackedStream stream;
    private final boolean tty;
    private final InputStream stdin;
    private final boolean rawStdin;
    private final PrintStream out;
    private final PrintStream err;
    private final byte[] detachKeys;
    private RawTerminal raw;

    private record Event(String kind, IOException error) {}

    /**
     * @param stdin      the CLI's stdin when it is attached, else null
     * @param rawStdin   stdin is a terminal to put in raw mode (tty sessions)
     */
    public Streamer(HijackedStream stream, boolean tty, InputStream stdin, boolean rawStdin, PrintStream out,
            PrintStream err, byte[] detachKeys) {
        this.stream = stream;
        this.tty = tty;
        this.stdin = stdin;
        this.rawStdin = rawStdin;
        this.out = out;
        this.err = err;
        this.detachKeys = detachKeys;
    }

    /** Puts the terminal in raw mode now (docker does it before start); restored when the session ends or the JVM exits. */
    public Streamer prepare() {
        if (rawStdin && raw == null) {
            raw = RawTerminal.makeRaw(0);
            RawTerminal r = raw;
            Runtime.getRuntime().addShutdownHook(new Thread(r::close, "berth-restore-terminal"));
        }
        return this;
    }

    /** Runs the session to its end; the terminal is restored before this returns. */
    public End run() throws IOException {
        prepare();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread output = Thread.ofPlatform().daemon().name("berth-output").start(() -> {
            try {
                copyOutput();
                events.add(new Event("output", null));
            } catch (IOException e) {
                events.add(new Event("output", e));
            }
        });
        if (stdin != null) {
            Thread.ofPlatform().daemon().name("berth-stdin").start(() -> events.add(copyInput()));
        } else {
            try {
                stream.closeWrite();
            } catch (IOException ignored) {
                // the daemon sees the end of the connection instead
            }
        }
        try {
            while (true) {
                Event e;
                try {
                    e = events.take();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return End.OUTPUT_ENDED;
                }
                switch (e.kind()) {
                    case "output" -> {
                        if (e.error() != null) {
                            throw e.error();
                        }
                        return End.OUTPUT_ENDED;
                    }
                    case "detached" -> {
                        restore();
                        stream.close();
                        output.interrupt();
                        return End.DETACHED;
                    }
                    default -> {
                        // stdin ended: the output decides when the session is over
                    }
                }
            }
        } finally {
            restore();
        }
    }

    /** Restores the terminal (a session that never ran, e.g. when start failed). */
    @Override
    public void close() {
        restore();
    }

    private void restore() {
        if (raw != null) {
            raw.close();
        }
    }

    private void copyOutput() throws IOException {
        InputStream in = stream.input();
        if (tty) {
            byte[] buffer = new byte[32 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } else {
            StdCopy.demultiplex(in, out, err);
        }
        out.flush();
    }

    private Event copyInput() {
        InputStream in = new EscapeProxy(stdin, detachKeys);
        OutputStream up = stream.output();
        byte[] buffer = new byte[32 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                up.write(buffer, 0, n);
                up.flush();
            }
        } catch (EscapeProxy.Detached d) {
            return new Event("detached", null);
        } catch (IOException e) {
            return new Event("input", e);
        }
        try {
            stream.closeWrite();
        } catch (IOException ignored) {
            // the output side tells how the session ends
        }
        return new Event("input", null);
    }
}
