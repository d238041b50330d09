package dev.berth.engine.logs;

import dev.berth.engine.container.ContainerJson;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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

    /** Formats one entry as docker does (Go's JSON escapes; invalid UTF-8 becomes U+FFFD). */
    public static byte[] format(LogEntry e) {
        String json = Json.write(JsonObjectBuilder.create()
                .put("log", e.text())
                .put("stream", e.stream().word())
                .put("time", ContainerJson.time(e.time()))
                .build());
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
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
        byte[] line = format(e);
        try {
            if (options.maxSize() > 0 && size > 0 && size + line.length > options.maxSize()) {
                writePending();
                rotate();
            }
            if (line.length > pending.remaining()) {
                writePending();
            }
            if (line.length > pending.capacity()) {
                writeFully(ByteBuffer.wrap(line));
            } else {
                pending.put(line);
            }
            size += line.length;
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
