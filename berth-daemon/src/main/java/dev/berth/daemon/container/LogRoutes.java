package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.ClientWatch;
import dev.berth.daemon.api.Router;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.WaitCondition;
import dev.berth.engine.WaitResult;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.LogConfig;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.oci.BerthException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /containers/{id}/logs}: the json-file log read back (stdout, stderr, since, until,
 * tail, timestamps), as docker's frames or raw for a terminal, then with follow what the
 * container writes until it stops, the until time passes, or the client hangs up.
 */
public final class LogRoutes implements Router.Service {
    /** docker's jsonmessage.RFC3339NanoFixed: always nine digits of fraction. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final Logger LOG = LoggerFactory.getLogger(LogRoutes.class);

    private final ContainerEngine engine;

    public LogRoutes(ContainerEngine engine) {
        this.engine = engine;
    }

    @Override
    public void routing(Router router) {
        router.get("/containers/{id}/logs", this::logs);
    }

    private void logs(ApiCall call) throws Exception {
        Container c = engine.inspect(call.path("id"));
        boolean stdout = call.flag("stdout");
        boolean stderr = call.flag("stderr");
        if (!stdout && !stderr) {
            throw BerthException.invalid("Bad parameters: you must choose at least one stream");
        }
        if (!c.hostConfig().logConfig().type().equals(LogConfig.JSON_FILE)) {
            throw BerthException.unsupported("configured logging driver does not support reading");
        }
        Optional<Instant> since = unixTime(call.query("since").orElse(""));
        Optional<Instant> until = unixTime(call.query("until").orElse(""));
        int tail = tail(call.query("tail").orElse(""));
        boolean timestamps = call.flag("timestamps");
        boolean tty = c.config().tty();
        String id = c.id();

        // following: subscribe before the file is read, so nothing falls between the two
        boolean follow = call.flag("follow") && c.state().running() && until.map(u -> u.isAfter(Instant.now())).orElse(true);
        OutputQueue live = OutputQueue.of(stdout, stderr);
        AutoCloseable subscription = follow ? engine.subscribe(id, live) : () -> { };
        CompletableFuture<WaitResult> exit = follow ? engine.waitFor(id, WaitCondition.NOT_RUNNING)
                : CompletableFuture.completedFuture(null);
        exit.whenComplete((r, x) -> live.end("the container stopped"));
        if (follow && until.isPresent()) {
            CompletableFuture.delayedExecutor(Math.max(0, Duration.between(Instant.now(), until.get()).toMillis()),
                    TimeUnit.MILLISECONDS).execute(() -> live.end("the until time passed"));
        }
        try (subscription) {
            String type = call.version().atLeast(1, 42) ? StdFrames.contentType(tty, call.version()) : null;
            OutputStream body = new BufferedOutputStream(call.stream(type), 64 * 1024);
            StdFrames frames = new StdFrames(body, !tty);
            // the file is read entry by entry, never whole
            Predicate<LogEntry> wanted = wanted(since, until, stdout, stderr);
            Instant fileEnd;
            if (tail >= 0) {
                // --tail n: read backwards from the end, as dockerd does
                LogReader.Tail last = LogReader.tail(engine.logPath(id), tail, wanted);
                for (LogEntry e : last.entries()) {
                    write(frames, e, timestamps);
                }
                fileEnd = last.last();
            } else {
                try {
                    fileEnd = LogReader.forEach(engine.logPath(id), e -> {
                        if (wanted.test(e)) {
                            writeUnchecked(frames, e, timestamps);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            frames.flush();
            // what the subscription saw before the file was read is in the file too: skipped below
            try (ClientWatch watch = call.watchClient(() -> live.end("the client left"))) {
                live.writeTo(frames, e -> !e.time().isAfter(fileEnd) || since.map(e.time()::isBefore).orElse(false),
                        timestamps ? LogRoutes::stamped : e -> e);
                if (watch.gone()) {
                    return; // nobody to end the response for; the subscription goes below
                }
            }
            body.close();
        } catch (IOException clientLeft) {
            // a follower that hung up between two writes: not the daemon's failure, nothing to answer
            LOG.debug("logs of {}: {}", id, clientLeft.toString());
        } finally {
            exit.cancel(false);
        }
    }

    /**
     * docker logs' selection, as LogReader.read makes it (since &lt;= time &lt; until, the
     * streams asked for, then the last {@code tail}; negative: all), over entries read once.
     */
    static List<LogEntry> select(List<LogEntry> all, Optional<Instant> since, Optional<Instant> until, boolean stdout,
                                 boolean stderr, int tail) {
        List<LogEntry> out = all.stream().filter(wanted(since, until, stdout, stderr)).toList();
        return tail >= 0 && tail < out.size() ? out.subList(out.size() - tail, out.size()) : out;
    }

    /** since &lt;= time &lt; until, of the streams asked for. */
    static Predicate<LogEntry> wanted(Optional<Instant> since, Optional<Instant> until, boolean stdout, boolean stderr) {
        return e -> since.map(s -> !e.time().isBefore(s)).orElse(true)
                && until.map(u -> e.time().isBefore(u)).orElse(true)
                && (e.stream() == LogEntry.Stream.STDERR ? stderr : stdout);
    }

    private static void write(StdFrames frames, LogEntry e, boolean timestamps) throws IOException {
        frames.write(timestamps ? stamped(e) : e);
    }

    private static void writeUnchecked(StdFrames frames, LogEntry e, boolean timestamps) {
        try {
            write(frames, e, timestamps);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** The entry with docker's timestamp and a space in front of its line. */
    static LogEntry stamped(LogEntry e) {
        byte[] stamp = (TIMESTAMP.format(e.time()) + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[stamp.length + e.line().length];
        System.arraycopy(stamp, 0, line, 0, stamp.length);
        System.arraycopy(e.line(), 0, line, stamp.length, e.line().length);
        return new LogEntry(e.stream(), line, e.time());
    }

    /**
     * since and until as the CLI sends them: Unix seconds with an optional fraction
     * ({@code 1700000000.000000001}); empty or 0 is no bound (dockerd's timetypes.ParseTimestamps).
     */
    static Optional<Instant> unixTime(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int dot = text.indexOf('.');
        String secs = dot < 0 ? text : text.substring(0, dot);
        String frac = dot < 0 ? "" : text.substring(dot + 1);
        try {
            long s = Long.parseLong(secs);
            long n = 0;
            if (dot >= 0) {
                if (frac.isEmpty() || frac.length() > 9 || !frac.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    throw new NumberFormatException(frac);
                }
                n = Long.parseLong((frac + "000000000").substring(0, 9));
            }
            if (s == 0 && n == 0) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochSecond(s, n));
        } catch (NumberFormatException e) {
            // dockerd's words: Go's ParseInt of the part that did not parse
            String part = dot < 0 || !secs.matches("-?[0-9]+") ? secs : frac;
            throw BerthException.invalid("strconv.ParseInt: parsing \"" + part + "\": invalid syntax");
        }
    }

    /** tail=N or all; like dockerd, anything that is not a number means all. */
    static int tail(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
