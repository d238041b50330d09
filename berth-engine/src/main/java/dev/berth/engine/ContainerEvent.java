package dev.berth.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A container event for {@code /events}, with docker's action words: create, start, die
 * (attribute exitCode), kill (signal), stop, destroy, rename (oldName), pause, unpause,
 * restart. Listeners are called on the thread that made the change, under the container's
 * lock: they must only queue the event.
 */
public record ContainerEvent(String action, String id, String name, String image, Map<String, String> attributes,
                             Instant time) {
    public ContainerEvent {
        attributes = Map.copyOf(attributes);
    }
}
