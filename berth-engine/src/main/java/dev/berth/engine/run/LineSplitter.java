package dev.berth.engine.run;

import dev.berth.engine.logs.LogEntry;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Cuts one output stream into log lines as docker's copier does: at each newline (kept), and a
 * line longer than 16 KiB in pieces; what is left at end of stream is flushed without one.
 * An interactive stream (a terminal) also passes on what a read brought without a newline,
 * at once: a shell's prompt must reach an attached user before they type the next line.
 */
final class LineSplitter {
    static final int MAX_LINE = 16 * 1024;

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
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                pending.write(data, start, i + 1 - start);
                emit(now);
                start = i + 1;
            } else if (pending.size() + (i + 1 - start) >= MAX_LINE) {
                pending.write(data, start, i + 1 - start);
                emit(now);
                start = i + 1;
            }
        }
        pending.write(data, start, data.length - start);
        if (interactive && pending.size() > 0) {
            emit(now);
        }
    }

    void finish() {
        if (pending.size() > 0) {
            emit(Instant.now());
        }
    }

    private void emit(Instant t) {
        sink.accept(new LogEntry(stream, pending.toByteArray(), t));
        pending.reset();
    }
}
