package dev.berth.engine.container;

import java.time.Instant;
import java.util.Objects;

/**
 * docker's State object: {@code Status, Running, Paused, Restarting, OOMKilled, Dead, Pid,
 * ExitCode, Error, StartedAt, FinishedAt}. The booleans are derived from the status; times are
 * {@link Instant#EPOCH} for "never" (docker prints 0001-01-01T00:00:00Z then). {@code health} is
 * docker's State.Health, kept across exits and daemon restarts (empty without a healthcheck).
 */
public record ContainerState(
        Status status,
        int pid,
        int exitCode,
        String error,
        boolean oomKilled,
        Instant startedAt,
        Instant finishedAt,
        java.util.Optional<Health> health) {

    /** Without health (the fields before it existed). */
    public ContainerState(Status status, int pid, int exitCode, String error, boolean oomKilled, Instant startedAt,
                          Instant finishedAt) {
        this(status, pid, exitCode, error, oomKilled, startedAt, finishedAt, java.util.Optional.empty());
    }

    public ContainerState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(health, "health");
        error = Objects.requireNonNullElse(error, "");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    public static ContainerState created() {
        return new ContainerState(Status.CREATED, 0, 0, "", false, Instant.EPOCH, Instant.EPOCH);
    }

    public boolean running() {
        return status == Status.RUNNING || status == Status.PAUSED || status == Status.RESTARTING;
    }

    public boolean paused() {
        return status == Status.PAUSED;
    }

    public boolean restarting() {
        return status == Status.RESTARTING;
    }

    public boolean dead() {
        return status == Status.DEAD;
    }

    public ContainerState toRunning(int newPid, Instant at) {
        return new ContainerState(Status.RUNNING, newPid, 0, "", false, at, Instant.EPOCH, health);
    }

    public ContainerState toExited(int code, String err, boolean oom, Instant at) {
        return new ContainerState(Status.EXITED, 0, code, err, oom, startedAt, at, health);
    }

    public ContainerState toStatus(Status s) {
        int p = s == Status.RUNNING || s == Status.PAUSED ? pid : 0;
        return new ContainerState(s, p, exitCode, error, oomKilled, startedAt, finishedAt, health);
    }

    /** A start that failed before the program ran (docker keeps such a container as created). */
    public ContainerState withStartError(int code, String err, Instant at) {
        Status s = status == Status.CREATED ? Status.CREATED : Status.EXITED;
        return new ContainerState(s, 0, code, err, false, startedAt, at, health);
    }

    public ContainerState withHealth(java.util.Optional<Health> h) {
        return new ContainerState(status, pid, exitCode, error, oomKilled, startedAt, finishedAt, h);
    }
}
