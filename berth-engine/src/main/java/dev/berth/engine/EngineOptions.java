package dev.berth.engine;

import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.spec.HostInfo;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the engine keeps things and its defaults.
 *
 * @param dataRoot persistent state: {@code containers/<id>/} (records, etc files, logs)
 * @param execRoot run-time state: {@code containers/<id>/} (bundles, rootfs mount points) and
 *     {@code runtime/} (the runtime library's --root)
 * @param helper the berth-init binary
 * @param logDefaults json-file rotation unless a container's LogConfig says otherwise
 */
public record EngineOptions(Path dataRoot, Path execRoot, Path helper, LogOptions logDefaults, HostInfo host) {
    public EngineOptions {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(execRoot, "execRoot");
        Objects.requireNonNull(helper, "helper");
        Objects.requireNonNull(logDefaults, "logDefaults");
        Objects.requireNonNull(host, "host");
    }

    public static EngineOptions of(Path dataRoot, Path execRoot, Path helper) {
        return new EngineOptions(dataRoot, execRoot, helper, LogOptions.DEFAULT, HostInfo.detect());
    }
}
