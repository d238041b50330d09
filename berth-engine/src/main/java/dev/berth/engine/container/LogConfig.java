package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.util.Map;
import java.util.Objects;

/**
 * HostConfig.LogConfig. Only {@code json-file} (the default) exists here; its options are
 * {@code max-size} (e.g. 10m) and {@code max-file}. Unknown options are refused, as docker does.
 */
public record LogConfig(String type, Map<String, String> config) {
    public static final String JSON_FILE = "json-file";
    public static final LogConfig DEFAULT = new LogConfig(JSON_FILE, Map.of());

    public LogConfig {
        type = Objects.requireNonNullElse(type, "");
        if (type.isEmpty()) {
            type = JSON_FILE;
        }
        config = Map.copyOf(config);
        if (!type.equals(JSON_FILE) && !type.equals("none")) {
            throw BerthException.invalid("logger: no log driver named '" + type + "' is registered");
        }
        for (String key : config.keySet()) {
            if (!key.equals("max-size") && !key.equals("max-file") && !key.equals("compress")
                    && !key.equals("labels") && !key.equals("env") && !key.equals("tag")) {
                throw BerthException.invalid("unknown log opt '" + key + "' for " + type + " log driver");
            }
        }
    }
}
