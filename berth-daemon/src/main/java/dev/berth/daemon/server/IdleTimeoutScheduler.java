package dev.berth.daemon.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Jetty's scheduler (one thread over a {@code ScheduledThreadPoolExecutor}), for the connections'
 * idle timeouts, with one task of its own that comes back every {@value #TICK_SECONDS} seconds.
 *
 * <p>Every new connection schedules its idle timeout (120 s). The executor wakes its thread only
 * when a new task is due before every task it holds; with no connection open it holds none, so
 * each CLI command, one connection, woke the scheduler thread (a futex wake on the selector's path,
 * and ~5% of the daemon's CPU per command on another core). The tick is always due sooner than a
 * new connection's timeout, so opening one wakes nobody. It costs one wake-up a minute.
 */
final class IdleTimeoutScheduler extends ScheduledExecutorScheduler {
    static final long TICK_SECONDS = 60;

    private volatile Task next;

    IdleTimeoutScheduler() {
        super("berthd-timeouts", false);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        tick();
    }

    private void tick() {
        if (isRunning()) {
            next = schedule(this::tick, TICK_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Whether the tick is pending (for tests). */
    boolean ticking() {
        return next != null && isRunning();
    }
}
