package dev.berth.engine.network;

import java.time.Instant;
import java.util.Objects;

/**
 * A network event for {@code /events} (docker's Type "network"): action create, destroy,
 * connect or disconnect; {@code containerId} is the container connected or disconnected (empty
 * for create and destroy). docker's attributes are {@code name}, {@code type} (the driver) and
 * {@code container}. Listeners are called on the thread that made the change: they must only
 * queue the event.
 */
public record NetworkEvent(String action, String networkId, String networkName, String driver, String containerId,
                           Instant time) {
    public NetworkEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(networkName, "networkName");
        driver = Objects.requireNonNullElse(driver, "");
        containerId = Objects.requireNonNullElse(containerId, "");
        Objects.requireNonNull(time, "time");
    }
}
