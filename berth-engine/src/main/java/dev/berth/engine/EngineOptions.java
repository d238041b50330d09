package dev.berth.engine;

import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.spec.HostInfo;
import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the engine keeps things and its defaults.
 *
 * @param dataRoot persistent state: {@code containers/<id>/} (records, etc files, logs), {@code networks/}
 * @param execRoot run-time state: {@code containers/<id>/} (bundles, rootfs mount points),
 *     {@code runtime/} (the runtime library's --root) and {@code netns/} (pinned network namespaces)
 * @param helper the berth-init binary
 * @param logDefaults json-file rotation unless a container's LogConfig says otherwise
 * @param bridge the default bridge's device (dockerd's -b/--bridge); {@link #NO_BRIDGE} for no
 *     default bridge: containers without --network then run with no network
 * @param bip the default bridge's gateway with its prefix (dockerd's --bip, e.g. 10.210.0.1/24);
 *     empty for the first free pool
 * @param cniPluginDir where the CNI plugins are (bridge, portmap, loopback, ...)
 */
public record EngineOptions(Path dataRoot, Path execRoot, Path helper, LogOptions logDefaults, HostInfo host,
                            String bridge, String bip, Path cniPluginDir) {
    /** dockerd's word for no default bridge. */
    public static final String NO_BRIDGE = "none";
    /** berthd's default bridge device (dockerd's is docker0). */
    public static final String DEFAULT_BRIDGE = "berth0";
    public static final Path DEFAULT_CNI_DIR = Path.of("/usr/lib/cni");

    public EngineOptions {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(execRoot, "execRoot");
        Objects.requireNonNull(helper, "helper");
        Objects.requireNonNull(logDefaults, "logDefaults");
        Objects.requireNonNull(host, "host");
        bridge = bridge == null || bridge.isEmpty() ? DEFAULT_BRIDGE : bridge;
        if (bridge.length() > 15 || !bridge.matches("[A-Za-z0-9_.-]+")) {
            throw BerthException.invalid("invalid bridge name \"" + bridge + "\": at most 15 letters, digits, '_', '.' or '-'");
        }
        bip = Objects.requireNonNullElse(bip, "");
        if (!bip.isEmpty() && !bip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}")) {
            throw BerthException.invalid("invalid --bip \"" + bip + "\": expected an address with its prefix, e.g. 10.210.0.1/24");
        }
        if (bridge.equals(NO_BRIDGE) && !bip.isEmpty()) {
            throw BerthException.invalid("You specified -b & --bip, mutually exclusive options. Please specify only one");
        }
        cniPluginDir = Objects.requireNonNullElse(cniPluginDir, DEFAULT_CNI_DIR);
    }

    public EngineOptions(Path dataRoot, Path execRoot, Path helper, LogOptions logDefaults, HostInfo host) {
        this(dataRoot, execRoot, helper, logDefaults, host, NO_BRIDGE, "", DEFAULT_CNI_DIR);
    }

    /** Defaults, with no default bridge (what tests and tools that do not ask for networking get). */
    public static EngineOptions of(Path dataRoot, Path execRoot, Path helper) {
        return new EngineOptions(dataRoot, execRoot, helper, LogOptions.DEFAULT, HostInfo.detect());
    }

    /** The default bridge: a device name (or {@link #NO_BRIDGE}) and a --bip (or empty). */
    public EngineOptions withBridge(String device, String gatewayCidr) {
        return new EngineOptions(dataRoot, execRoot, helper, logDefaults, host, device, gatewayCidr, cniPluginDir);
    }

    public EngineOptions withCniPluginDir(Path dir) {
        return new EngineOptions(dataRoot, execRoot, helper, logDefaults, host, bridge, bip, dir);
    }

    public boolean hasDefaultBridge() {
        return !bridge.equals(NO_BRIDGE);
    }
}
