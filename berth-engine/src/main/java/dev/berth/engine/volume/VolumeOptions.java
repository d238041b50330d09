package dev.berth.engine.volume;

import dev.berth.oci.BerthException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local driver's options ({@code docker volume create -o}): {@code type}, {@code device} and
 * {@code o}, as mount(8) takes them: {@code type=tmpfs,device=tmpfs,o=size=64m} or
 * {@code type=none,o=bind,device=/path}. Empty: a plain directory. Validated in dockerd 20.10's
 * words and order: an unknown key, then a missing device, then a missing type.
 */
public record VolumeOptions(Map<String, String> values) {
    public static final VolumeOptions NONE = new VolumeOptions(Map.of());
    private static final Set<String> KEYS = Set.of("type", "device", "o");

    public VolumeOptions {
        values = Map.copyOf(values);
    }

    /** Checks the options as dockerd does at create; the volume's name goes in front of the error. */
    public static VolumeOptions of(String volumeName, Map<String, String> options) {
        if (options.isEmpty()) {
            return NONE;
        }
        for (String key : new TreeMap<>(options).keySet()) {
            if (!KEYS.contains(key)) {
                throw BerthException.invalid("create " + volumeName + ": invalid option: \"" + key + "\"");
            }
        }
        for (String required : new String[] {"device", "type"}) {
            if (!options.containsKey(required)) {
                throw BerthException.invalid("create " + volumeName + ": missing required option: \"" + required + "\"");
            }
        }
        return new VolumeOptions(options);
    }

    /** Whether the volume is a mount of a device (or a bind) rather than a plain directory. */
    public boolean mounted() {
        return !values.isEmpty();
    }

    public String type() {
        return values.getOrDefault("type", "");
    }

    public String device() {
        return values.getOrDefault("device", "");
    }

    public String mountOptions() {
        return values.getOrDefault("o", "");
    }
}
