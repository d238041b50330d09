package dev.berth.engine.logs;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * docker's json-file log driver: one JSON object per line,
 * {@code {"log":"hi\n","stream":"stdout","time":"2026-01-02T03:04:05.123456789Z"}}, in
 * {@code <id>-json.log}, rotated to {@code .1}, {@code .2}, … when the next line would pass
 * max-size. Listeners (attach, logs --follow) get each entry as it is written.
 */
public final class JsonFileLogger implements AutoCloseable {
    private final Path file;
    private final LogOptions options;
    private final List<Consumer<LogEntry>> listeners = new CopyOnWriteArrayList<>();
    private FileChannel out;
    private long size;
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private final JsonLogLine encoder = new JsonLogLine();

    public JsonFileLogger(Path file, LogOptions options) {
        this.file = file;
        this.options = options;
        open();
    }

    public Path file() {
        return file;
    }

    private void open() {
        try {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            size = out.size();
        } catch (IOException e) {
            throw BerthException.internal("open log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Formats one entry as dockerd's json-file writer does (see {@link JsonLogLine}). */
    public static byte[] format(LogEntry e) {
        JsonLogLine line = new JsonLogLine();
        line.format(e);
        return line.toByteArray();
    }

    /** Writes one entry to the file at once. */
    public synchronized void log(LogEntry e) {
        append(e);
        flush();
    }

    /**
     * Adds one entry to what goes to the file at the next {@link #flush} (or when 64 KiB have
     * gathered): the engine's I/O loop appends every line of one read and then flushes, so a
     * program printing many short lines costs one write per read, not one per line.
     */
    public synchronized void append(LogEntry e) {
        if (out == null) {
            return;
        }
        encoder.format(e);
        int length = encoder.length();
        try {
            if (options.maxSize() > 0 && size > 0 && size + length > options.maxSize()) {
                writePending();
                rotate();
            }
            if (length > pending.remaining()) {
                writePending();
            }
            if (length > pending.capacity()) {
                writeFully(ByteBuffer.wrap(encoder.bytes(), 0, length));
            } else {
                pending.put(encoder.bytes(), 0, length);
            }
            size += length;
        } catch (IOException ex) {
            lost(ex);
        }
        for (Consumer<LogEntry> l : listeners) {
            l.accept(e);
        }
    }

    /** Writes what {@link #append} gathered. */
    public synchronized void flush() {
        if (out == null) {
            return;
        }
        try {
            writePending();
        } catch (IOException ex) {
            lost(ex);
        }
    }

    private void writePending() throws IOException {
        pending.flip();
        try {
            writeFully(pending);
        } finally {
            pending.clear();
        }
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    private void lost(IOException ex) {
        // a full disk must not stop the container: the lines are lost, as with docker
        System.getLogger(JsonFileLogger.class.getName()).log(System.Logger.Level.WARNING,
                "log " + file + ": " + ex.getMessage());
    }

    private void rotate() throws IOException {
        out.close();
        if (options.maxFiles() <= 1) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(file, options.maxFiles() - 1));
            for (int i = options.maxFiles() - 2; i >= 1; i--) {
                Path from = rotated(file, i);
                if (Files.exists(from)) {
                    Files.move(from, rotated(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.ATOMIC_MOVE);
        }
        open();
    }

    static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** Every log file of the container, oldest first. */
    public static List<Path> files(Path file) {
        List<Path> out = new java.util.ArrayList<>();
        for (int i = 64; i >= 1; i--) {
            Path p = rotated(file, i);
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        if (Files.exists(file)) {
            out.add(file);
        }
        return out;
    }

    /** Adds a listener; closing the result removes it. */
    public AutoCloseable subscribe(Consumer<LogEntry> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                writePending();
            } catch (IOException ex) {
                lost(ex);
            }
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing more will be written
            }
            out = null;
        }
    }
}
