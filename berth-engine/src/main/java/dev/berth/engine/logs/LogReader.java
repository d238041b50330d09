package dev.berth.engine.logs;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** The last entries {@link #tail} found, oldest first, and the time of the log's last entry ({@link Instant#MIN} if none). */
    public record Tail(List<LogEntry> entries, Instant last) {}

    /**
     * docker logs --tail n: the last {@code n} entries {@code wanted} accepts, read from the end
     * of the newest file backwards (then the rotated ones), so a short tail of a big log costs a
     * few reads, as dockerd's; also the time of the last entry of all (what a follower skips up to).
     */
    public static Tail tail(Path logFile, int n, java.util.function.Predicate<LogEntry> wanted) {
        BackwardLines lines = new BackwardLines(new JsonLogLineParser(), n, wanted);
        List<Path> files = JsonFileLogger.files(logFile);
        for (int k = files.size() - 1; k >= 0 && !lines.done(); k--) {
            Path f = files.get(k);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                lines.readFile(ch, f);
            } catch (NoSuchFileException rotatedAway) {
                // rotation moved it on meanwhile
            } catch (IOException e) {
                throw BerthException.internal("read log " + f + ": " + e.getMessage(), e);
            }
        }
        return new Tail(List.copyOf(lines.found), lines.last == null ? Instant.MIN : lines.last);
    }

    /** One backward pass: lines taken from the end of each file, newest first. */
    private static final class BackwardLines {
        private static final int CHUNK = 64 * 1024;
        private final JsonLogLineParser parser;
        private final int n;
        private final java.util.function.Predicate<LogEntry> wanted;
        final ArrayDeque<LogEntry> found = new ArrayDeque<>();
        Instant last;

        BackwardLines(JsonLogLineParser parser, int n, java.util.function.Predicate<LogEntry> wanted) {
            this.parser = parser;
            this.n = n;
            this.wanted = wanted;
        }

        boolean done() {
            return found.size() >= n && last != null;
        }

        void readFile(FileChannel ch, Path f) throws IOException {
            long pos = ch.size();
            byte[] carry = new byte[0]; // the head of a line whose rest was in the chunk read before
            while (pos > 0 && !done()) {
                int size = (int) Math.min(CHUNK, pos);
                pos -= size;
                byte[] data = new byte[size + carry.length];
                ByteBuffer buf = ByteBuffer.wrap(data, 0, size);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("shorter than its size");
                    }
                }
                System.arraycopy(carry, 0, data, size, carry.length);
                int end = data.length;
                for (int j = data.length - 1; j >= 0 && !done(); j--) {
                    if (data[j] == '\n') {
                        take(data, j + 1, end, f);
                        end = j;
                    }
                }
                carry = Arrays.copyOf(data, end);
            }
            if (pos == 0 && !done()) {
                take(carry, 0, carry.length, f); // the file's first line
            }
        }

        private void take(byte[] data, int from, int to, Path f) {
            if (to == from) {
                return; // after the file's final newline
            }
            LogEntry e = entry(parser, data, from, to, f); // a torn last line does not parse: skipped
            if (e == null) {
                return;
            }
            if (last == null) {
                last = e.time();
            }
            if (found.size() < n && wanted.test(e)) {
                found.addFirst(e);
            }
        }
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
        java.util.function.Predicate<LogEntry> wanted = e -> since.map(s -> !e.time().isBefore(s)).orElse(true)
                && until.map(u -> e.time().isBefore(u)).orElse(true)
                && (e.stream() == LogEntry.Stream.STDOUT ? stdout : stderr);
        if (tail >= 0) {
            return tail(logFile, tail, wanted).entries();
        }
        List<LogEntry> out = new ArrayList<>();
        forEach(logFile, e -> {
            if (wanted.test(e)) {
                out.add(e);
            }
        });
        return out;
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
