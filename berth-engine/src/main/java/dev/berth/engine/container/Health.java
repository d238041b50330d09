package dev.berth.engine.container;

import java.time.Instant;
import java.util.List;

/**
 * docker's State.Health: {@code Status} (starting, healthy, unhealthy), {@code FailingStreak}
 * and the last five probes ({@code Log}).
 */
public record Health(String status, int failingStreak, List<Result> log) {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    static final int KEEP = 5;

    public Health {
        log = List.copyOf(log);
    }

    public static Health starting() {
        return new Health(STARTING, 0, List.of());
    }

    /** One probe: docker's {@code {Start, End, ExitCode, Output}}; exit code -1 for a probe that timed out. */
    public record Result(Instant start, Instant end, int exitCode, String output) {}

    /**
     * The state after a probe, by docker's rules: success makes it healthy; a failure inside the
     * start period does not count; {@code retries} failures in a row make it unhealthy.
     */
    public Health after(Result r, boolean inStartPeriod, int retries) {
        List<Result> kept = new java.util.ArrayList<>(log);
        kept.add(r);
        while (kept.size() > KEEP) {
            kept.removeFirst();
        }
        if (r.exitCode() == 0) {
            return new Health(HEALTHY, 0, kept);
        }
        if (inStartPeriod) {
            return new Health(status, failingStreak, kept);
        }
        int streak = failingStreak + 1;
        return new Health(streak >= retries ? UNHEALTHY : status, streak, kept);
    }
}
