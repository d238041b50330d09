package dev.berth.daemon.events;

import dev.berth.oci.json.JsonObjectBuilder;
import java.util.Map;

/**
 * One engine event (an image tagged, a container started, ...), as /events reports it.
 *
 * @param type     image, container, network, volume, daemon, ...
 * @param action   tag, untag, delete, load, save, import, ...
 * @param actorId  the object's id (an image's sha256:… id)
 * @param attributes more about the actor; {@code name} for images
 * @param timeNano when, in nanoseconds since the epoch
 */
public record Event(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
    public Event {
        attributes = Map.copyOf(attributes);
    }

    /**
     * dockerd's wire form for API 1.47, which still carries the pre-1.22 {@code status} and
     * {@code id} fields next to Type/Action/Actor for container and image events (and
     * {@code from}, the image, for containers); network, volume and other events have none.
     */
    public Map<String, Object> toJson() {
        JsonObjectBuilder b = JsonObjectBuilder.create();
        if (type.equals("container") || type.equals("image")) {
            b.put("status", action).put("id", actorId);
            if (type.equals("container") && attributes.containsKey("image")) {
                b.put("from", attributes.get("image"));
            }
        }
        return b
                .put("Type", type)
                .put("Action", action)
                .put("Actor", JsonObjectBuilder.create()
                        .put("ID", actorId)
                        .put("Attributes", new java.util.TreeMap<>(attributes))
                        .build())
                .put("scope", "local")
                .put("time", timeNano / 1_000_000_000L)
                .put("timeNano", timeNano)
                .build();
    }
}
