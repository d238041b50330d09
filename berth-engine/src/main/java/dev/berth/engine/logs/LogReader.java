package dev.berth.engine.logs;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a container's json-file logs back, oldest first, across rotated files, one entry at a
 * time ({@link #forEach}): a log of millions of short lines must not be held in memory at once
 * (docker logs of 20 MB of 'yes hello' ran the daemon out of heap when it was). A torn last line
 * is skipped.
 */
public final class LogReader {
    private LogReader() {}

    /**
     * Hands every entry to {@code action}, oldest first, keeping none; returns the time of the
     * last entry read, {@link Instant#MIN} when there was none. A file rotated away between
     * listing and opening is skipped (its entries went on into the next one).
     */
    public static Instant forEach(Path logFile, Consumer<LogEntry> action) {
        JsonLogLineParser parser = new JsonLogLineParser();
        Instant last = Instant.MIN;
        byte[] buf = new byte[64 * 1024];
        for (Path f : JsonFileLogger.files(logFile)) {
            try (InputStream in = Files.newInputStream(f)) {
                int filled = 0;
                while (true) {
                    int n = in.read(buf, filled, buf.length - filled);
                    if (n < 0) {
                        // a last line without its newline: a torn write (skipped: it does not parse) or another writer's
                        LogEntry e = filled > 0 ? entry(parser, buf, 0, filled, f) : null;
                        if (e != null) {
                            action.accept(e);
                            last = e.time();
                        }
                        break;
                    }
                    filled += n;
                    int start = 0;
                    for (int i = 0; i < filled; i++) {
                        if (buf[i] == '\n') {
                            LogEntry e = entry(parser, buf, start, i, f);
                            if (e != null) {
                                action.accept(e);
                                last = e.time();
                            }
                            start = i + 1;
                        }
                    }
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    if (filled == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                    }
                }
            } catch (NoSuchFileException rotatedAway) {
                // rotation moved it on between the listing and the open
            } catch (IOException e) {
                throw BerthException.internal("read log " + f + ": " + e.getMessage(), e);
            }
        }
        return last;
    }

    private static LogEntry entry(JsonLogLineParser parser, byte[] buf, int from, int to, Path source) {
        Optional<LogEntry> fast = parser.parse(buf, from, to);
        if (fast.isPresent()) {
            return fast.get();
        }
        return parse(new String(buf, from, to - from, StandardCharsets.UTF_8), source.toString()).orElse(null);
    }

    public static List<LogEntry> readAll(Path logFile) {
        List<LogEntry> out = new ArrayList<>();
        forEach(logFile, out::add);
        return out;
    }

    /**
     * docker logs' selection: entries with since &lt;= time &lt; until (either may be absent), of
     * the streams asked for, then the last {@code tail} of them (negative: all).
     */
    public static List<LogEntry> read(Path logFile, Optional<Instant> since, Optional<Instant> until,
                                      boolean stdout, boolean stderr, int tail) {
        ArrayDeque<LogEntry> out = new ArrayDeque<>();
        forEach(logFile, e -> {
            if (since.isPresent() && e.time().isBefore(since.get())) {
                return;
            }
            if (until.isPresent() && !e.time().isBefore(until.get())) {
                return;
            }
            if (e.stream() == LogEntry.Stream.STDOUT ? stdout : stderr) {
                out.addLast(e);
                if (tail >= 0 && out.size() > tail) {
                    out.removeFirst();
                }
            }
        });
        return List.copyOf(out);
    }

    static Optional<LogEntry> parse(String line, String source) {
        try {
            JsonObject o = JsonObject.root(source, Json.parse(line, source));
            LogEntry.Stream stream = o.string("stream").orElse("stdout").equals("stderr")
                    ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
            Instant t = ImageConfig.parseTime(o.string("time").orElse("")).orElse(Instant.EPOCH);
            return Optional.of(new LogEntry(stream, o.string("log").orElse("").getBytes(StandardCharsets.UTF_8), t));
        } catch (BerthException e) {
            return Optional.empty();
        }
    }
}
