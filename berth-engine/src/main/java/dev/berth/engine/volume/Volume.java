package dev.berth.engine.volume;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A named volume of the local driver: a directory {@code <data-root>/volumes/<name>/_data}
 * (docker's Mountpoint). Anonymous volumes have 64-hex names.
 */
public record Volume(String name, Path mountpoint, Instant createdAt, Map<String, String> labels, boolean anonymous) {
    public static final String DRIVER = "local";

    public Volume {
        labels = Map.copyOf(labels);
    }
}
