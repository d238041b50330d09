package dev.berth.runtime.plan;

import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Resources.DeviceRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The device cgroup rules a container gets: the config's rules, then the devices every
 * container needs (runc's default allow list). Without these, the usual "deny all" rule of a
 * default config would forbid /dev/null. A linux.devices entry is created in /dev but, as in
 * runc, reachable only when a rule allows it (runc's dev.bats "device cgroup deny").
 */
public final class DeviceRules {
    private static final List<DeviceRule> DEFAULT_ALLOWED = List.of(
            new DeviceRule(true, "c", null, null, "m"),     // mknod of any char device (opening is separate)
            new DeviceRule(true, "b", null, null, "m"),     // mknod of any block device
            new DeviceRule(true, "c", 1L, 3L, "rwm"),       // /dev/null
            new DeviceRule(true, "c", 1L, 5L, "rwm"),       // /dev/zero
            new DeviceRule(true, "c", 1L, 7L, "rwm"),       // /dev/full
            new DeviceRule(true, "c", 1L, 8L, "rwm"),       // /dev/random
            new DeviceRule(true, "c", 1L, 9L, "rwm"),       // /dev/urandom
            new DeviceRule(true, "c", 5L, 0L, "rwm"),       // /dev/tty
            new DeviceRule(true, "c", 5L, 1L, "rwm"),       // /dev/console
            new DeviceRule(true, "c", 5L, 2L, "rwm"),       // /dev/ptmx
            new DeviceRule(true, "c", 136L, null, "rwm"),   // /dev/pts/*
            new DeviceRule(true, "c", 10L, 200L, "rwm"));   // /dev/net/tun

    private DeviceRules() {}

    /**
     * resources with the device rules completed; untouched when the config has no device rules.
     * devices (linux.devices) add no rule: they are listed for callers that want to check them.
     */
    public static Resources complete(Resources resources, List<Device> devices) {
        if (resources.devices().isEmpty()) {
            return resources;
        }
        List<DeviceRule> rules = new ArrayList<>(resources.devices());
        rules.addAll(DEFAULT_ALLOWED);
        return new Resources(rules, resources.memory(), resources.cpu(), resources.pids(), resources.blockIO(),
                resources.hugepageLimits(), resources.network(), resources.unified());
    }
}
