package dev.berth.engine.logs;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads a container's json-file logs back, oldest first, across rotated files. A torn last line is skipped. */
public final class LogReader {
    private LogReader() {}

    public static List<LogEntry> readAll(Path logFile) {
        List<LogEntry> out = new ArrayList<>();
        for (Path f : JsonFileLogger.files(logFile)) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    parse(line, f.toString()).ifPresent(out::add);
                }
            } catch (IOException e) {
                throw BerthException.internal("read log " + f + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * docker logs' selection: entries with since &lt;= time &lt; until (either may be absent), of
     * the streams asked for, then the last {@code tail} of them (negative: all).
     */
    public static List<LogEntry> read(Path logFile, java.util.Optional<Instant> since, java.util.Optional<Instant> until,
                                      boolean stdout, boolean stderr, int tail) {
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry e : readAll(logFile)) {
            if (since.isPresent() && e.time().isBefore(since.get())) {
                continue;
            }
            if (until.isPresent() && !e.time().isBefore(until.get())) {
                continue;
            }
            if (e.stream() == LogEntry.Stream.STDOUT ? stdout : stderr) {
                out.add(e);
            }
        }
        return tail >= 0 && tail < out.size() ? List.copyOf(out.subList(out.size() - tail, out.size())) : out;
    }

    static java.util.Optional<LogEntry> parse(String line, String source) {
        try {
            JsonObject o = JsonObject.root(source, Json.parse(line, source));
            LogEntry.Stream stream = o.string("stream").orElse("stdout").equals("stderr")
                    ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
            Instant t = ImageConfig.parseTime(o.string("time").orElse("")).orElse(Instant.EPOCH);
            return java.util.Optional.of(new LogEntry(stream, o.string("log").orElse("").getBytes(StandardCharsets.UTF_8), t));
        } catch (BerthException e) {
            return java.util.Optional.empty();
        }
    }
}
