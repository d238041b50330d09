package dev.berth.engine.run;

import dev.berth.engine.logs.LogEntry;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts one output stream into log lines as docker's copier does: at each newline (kept), and a
 * line longer than 16 KiB in pieces; what is left at end of stream is flushed without one.
 * An interactive stream (a terminal) also passes on what a read brought without a newline,
 * at once: a shell's prompt must reach an attached user before they type the next line.
 */
final class LineSplitter {
    static final int MAX_LINE = 16 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final LogEntry.Stream stream;
    private final Consumer<LogEntry> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final boolean interactive;

    LineSplitter(LogEntry.Stream stream, Consumer<LogEntry> sink) {
        this(stream, sink, false);
    }

    LineSplitter(LogEntry.Stream stream, Consumer<LogEntry> sink, boolean interactive) {
        this.stream = stream;
        this.sink = sink;
        this.interactive = interactive;
    }

    void feed(byte[] data) {
        Instant now = Instant.now();
        int start = 0;
        int carried = pending.size(); // ByteArrayOutputStream.size() takes a lock: not once per byte
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' || carried + (i + 1 - start) >= MAX_LINE) {
                emit(data, start, i + 1, now);
                start = i + 1;
                carried = 0;
            }
        }
        pending.write(data, start, data.length - start);
        if (interactive && pending.size() > 0) {
            emit(data, 0, 0, now);
        }
    }

    void finish() {
        if (pending.size() > 0) {
            emit(Instant.now());
        }
    }

    private void emit(Instant t) {
        emit(EMPTY, 0, 0, t);
    }

    /** What is pending plus data[from, to) as one entry; a whole line of one read is copied once. */
    private void emit(byte[] data, int from, int to, Instant t) {
        byte[] line;
        if (pending.size() == 0) {
            line = Arrays.copyOfRange(data, from, to);
        } else {
            pending.write(data, from, to - from);
            line = pending.toByteArray();
            pending.reset();
        }
        sink.accept(new LogEntry(stream, line, t));
    }
}
