package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.Health;
import dev.berth.engine.logs.LogEntry;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a container's HEALTHCHECK as docker does: an exec of the test every interval (default
 * 30 s), each with a timeout (30 s), {@code retries} (3) failures in a row make it unhealthy,
 * failures in the start period do not count. The probes of one run stop when it exits.
 *
 * <p>berth's addition (DESIGN.md decision 6): a container labelled
 * {@value #RESTART_LABEL}{@code =true} is restarted when it turns unhealthy.
 */
final class HealthMonitor {
    static final String RESTART_LABEL = "berth.restart-on-unhealthy";
    private static final long DEFAULT_NANOS = Duration.ofSeconds(30).toNanos();
    private static final int DEFAULT_RETRIES = 3;
    private static final int MAX_OUTPUT = 4096;
    private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());

    private final EngineContext ctx;
    private final ExecManager execs;
    private final Stopper stopper;
    private final Launcher launcher;
    private final ScheduledExecutorService timers;

    HealthMonitor(EngineContext ctx, ExecManager execs, Stopper stopper, Launcher launcher) {
        this.ctx = ctx;
        this.execs = execs;
        this.stopper = stopper;
        this.launcher = launcher;
        this.timers = ctx.timers;
    }

    /** The probe command of a healthcheck, or empty when there is none (or it is NONE). */
    static Optional<List<String>> command(Optional<ImageConfig.Healthcheck> check) {
        if (check.isEmpty() || check.get().test().isEmpty()) {
            return Optional.empty();
        }
        List<String> test = check.get().test();
        return switch (test.getFirst()) {
            case "NONE" -> Optional.empty();
            case "CMD" -> test.size() > 1 ? Optional.of(test.subList(1, test.size())) : Optional.empty();
            case "CMD-SHELL" -> test.size() > 1 ? Optional.of(List.of("/bin/sh", "-c", test.get(1))) : Optional.empty();
            default -> throw BerthException.invalid("unknown type of healthcheck test: " + test.getFirst());
        };
    }

    /** Starts probing a run of the container, its health (re)set to starting; the caller holds its lock and saves the record. */
    void start(Slot s, long run) {
        Container c = s.container;
        Optional<List<String>> cmd = command(c.config().healthcheck());
        if (cmd.isEmpty()) {
            return;
        }
        ImageConfig.Healthcheck hc = c.config().healthcheck().get();
        long interval = hc.interval() > 0 ? hc.interval() : DEFAULT_NANOS;
        // each run begins as starting; the last results stay in the log, as docker keeps them
        Health starting = c.state().health().map(h -> new Health(Health.STARTING, 0, h.log())).orElseGet(Health::starting);
        s.container = c.withState(c.state().withHealth(Optional.of(starting)));
        s.healthProbe = timers.scheduleWithFixedDelay(
                () -> Thread.ofVirtual().name("berth-health").start(() -> probe(s, run, cmd.get(), hc)),
                interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Stops the probes; the caller holds the container's lock. */
    static void stop(Slot s) {
        ScheduledFuture<?> f = s.healthProbe;
        if (f != null) {
            f.cancel(false);
            s.healthProbe = null;
        }
    }

    private void probe(Slot s, long run, List<String> cmd, ImageConfig.Healthcheck hc) {
        if (!s.probing.compareAndSet(false, true)) {
            return; // the previous probe still runs
        }
        try {
            Instant start = Instant.now();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int code;
            String execId;
            try {
                execId = execs.create(s.id(), ExecConfig.of(cmd));
            } catch (BerthException e) {
                return; // not running any more
            }
            long timeout = hc.timeout() > 0 ? hc.timeout() : DEFAULT_NANOS;
            try {
                code = execs.start(execId, e -> append(output, e)).get(timeout, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                execs.kill(execId);
                code = -1;
                output.reset();
                output.writeBytes(("Health check exceeded timeout (" + Duration.ofNanos(timeout).toSeconds() + "s)")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (BerthException e) {
                code = e.getMessage() != null && e.getMessage().contains("not found") ? 127 : 1;
                output.writeBytes(String.valueOf(e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (Exception e) {
                code = 1;
            } finally {
                execs.forget(execId);
            }
            Health.Result result = new Health.Result(start, Instant.now(), code,
                    output.toString(java.nio.charset.StandardCharsets.UTF_8));
            record(s, run, result, hc.startPeriod(), hc.retries() > 0 ? hc.retries() : DEFAULT_RETRIES);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health probe of " + s.id() + ": " + e.getMessage());
        } finally {
            s.probing.set(false);
        }
    }

    /**
     * A probe's result: the health changes (an event when its status does); a container
     * labelled {@value #RESTART_LABEL} that turns unhealthy is stopped and started again.
     */
    private void record(Slot s, long run, Health.Result result, long startPeriodNanos, int retries) {
        boolean restart = false;
        s.lock.lock();
        try {
            Container c = s.container;
            if (s.run != run || c.state().health().isEmpty() || !c.state().running()) {
                return;
            }
            boolean inStart = Duration.between(s.startedAt, result.start()).toNanos() < startPeriodNanos;
            Health before = c.state().health().get();
            Health after = before.after(result, inStart, retries);
            Container updated = c.withState(c.state().withHealth(Optional.of(after)));
            if (!after.status().equals(before.status())) {
                // persisted when the status changes, so a daemon restart keeps it (docker shows it in
                // inspect); saved and announced before health() shows it
                EngineContext.quietly(() -> ctx.store.save(updated));
                ctx.events.emit("health_status: " + after.status(), updated);
                s.container = updated;
                restart = after.status().equals(Health.UNHEALTHY)
                        && "true".equals(s.container.config().labels().get(RESTART_LABEL));
            } else {
                s.container = updated;
            }
        } finally {
            s.lock.unlock();
        }
        if (restart && !ctx.closed) {
            restartUnhealthy(s);
        }
    }

    private void restartUnhealthy(Slot s) {
        LOG.log(System.Logger.Level.INFO, "restarting unhealthy container " + s.id());
        try {
            stopper.stop(s, Optional.empty(), false);
            s.lock.lock();
            try {
                if (!s.container.state().running() && !s.removing && !ctx.closed) {
                    s.container = s.container.withRestarts(s.container.restartCount() + 1, s.container.manuallyStopped());
                    launcher.startLocked(s);
                    ctx.events.emit("restart", s.container);
                }
            } finally {
                s.lock.unlock();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "restart of unhealthy " + s.id() + ": " + e.getMessage());
        }
    }

    private static void append(ByteArrayOutputStream out, LogEntry e) {
        synchronized (out) {
            int room = MAX_OUTPUT - out.size();
            if (room > 0) {
                out.write(e.line(), 0, Math.min(room, e.line().length));
            }
        }
    }
}
