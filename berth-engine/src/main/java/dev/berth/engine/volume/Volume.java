package dev.berth.engine.volume;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A named volume of the local driver: a directory {@code <data-root>/volumes/<name>/_data}
 * (docker's Mountpoint), on which a device or a bind is mounted while containers use it when
 * the volume has {@link VolumeOptions}. Anonymous volumes have 64-hex names.
 */
public record Volume(String name, Path mountpoint, Instant createdAt, Map<String, String> labels, boolean anonymous,
                     VolumeOptions options) {
    public static final String DRIVER = "local";

    public Volume {
        labels = Map.copyOf(labels);
    }

    /** A plain directory volume. */
    public Volume(String name, Path mountpoint, Instant createdAt, Map<String, String> labels, boolean anonymous) {
        this(name, mountpoint, createdAt, labels, anonymous, VolumeOptions.NONE);
    }
}
