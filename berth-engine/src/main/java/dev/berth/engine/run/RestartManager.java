package dev.berth.engine.run;

import dev.berth.engine.container.RestartPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * docker's restart decision and backoff (restartmanager): the delay starts at 100 ms and
 * doubles with each restart up to one minute; a run of 10 s or more resets it. always restarts
 * whatever the exit; unless-stopped unless a user stopped it; on-failure on a non-zero exit,
 * at most MaximumRetryCount times (0: no limit). A stop cancels any restart.
 */
public final class RestartManager {
    static final Duration INITIAL = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMinutes(1);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private Duration delay = Duration.ZERO;

    /** The delay before restarting, or empty when the policy says not to restart. */
    public synchronized Optional<Duration> shouldRestart(RestartPolicy policy, int restartCount, int exitCode,
                                                         boolean manuallyStopped, Duration ran) {
        if (ran.compareTo(RESET_AFTER) >= 0) {
            delay = Duration.ZERO;
        }
        delay = delay.isZero() ? INITIAL : delay.multipliedBy(2);
        if (delay.compareTo(MAX) > 0) {
            delay = MAX;
        }
        boolean restart = switch (policy.name()) {
            case ALWAYS -> true;
            case UNLESS_STOPPED -> !manuallyStopped;
            case ON_FAILURE -> exitCode != 0
                    && (policy.maximumRetryCount() == 0 || restartCount < policy.maximumRetryCount());
            case NO -> false;
        };
        if (!restart) {
            delay = Duration.ZERO;
            return Optional.empty();
        }
        return Optional.of(delay);
    }

    /** A start by a user begins a new series. */
    public synchronized void reset() {
        delay = Duration.ZERO;
    }
}
