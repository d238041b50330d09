package dev.berth.daemon.container;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * docker ps's STATUS column ("Up 3 minutes (healthy)", "Exited (0) 2 seconds ago"), written by
 * the daemon in docker's words (go-units' HumanDuration), because the CLI prints it as given.
 */
final class HumanTime {
    private HumanTime() {}

    static String status(Container c, Optional<Health> health, Instant now) {
        ContainerState s = c.state();
        return switch (s.status()) {
            case RUNNING -> "Up " + duration(Duration.between(s.startedAt(), now)) + healthSuffix(health);
            case PAUSED -> "Up " + duration(Duration.between(s.startedAt(), now)) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + duration(Duration.between(s.finishedAt(), now)) + " ago";
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case CREATED -> "Created";
            case EXITED -> s.finishedAt().equals(Instant.EPOCH) ? ""
                    : "Exited (" + s.exitCode() + ") " + duration(Duration.between(s.finishedAt(), now)) + " ago";
        };
    }

    private static String healthSuffix(Optional<Health> health) {
        return health.map(h -> switch (h.status()) {
            case Health.STARTING -> " (health: starting)";
            case Health.HEALTHY -> " (healthy)";
            case Health.UNHEALTHY -> " (unhealthy)";
            default -> "";
        }).orElse("");
    }

    /** go-units HumanDuration. */
    static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }
}
