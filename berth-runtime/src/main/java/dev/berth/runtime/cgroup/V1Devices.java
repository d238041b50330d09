package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import java.nio.file.Path;
import java.util.List;

/**
 * The v1 devices controller. The rule list starts from "deny everything" and the rules are
 * written in the listed order, as the spec requires, so a later rule overrides an earlier one.
 * An empty list leaves the cgroup as it is: the caller adds the default devices (null, zero,
 * full, tty, random, urandom, ptmx, pts) to the list as runc's spec conversion does.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#allowed-device-list">config-linux.md, Allowed Device list</a>
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/devices.html">devices</a>
 */
final class V1Devices {
    private V1Devices() {}

    static void write(CgroupFiles files, Path dir, List<Resources.DeviceRule> rules) {
        files.write(dir, "devices.deny", "a");
        for (Resources.DeviceRule rule : rules) {
            files.write(dir, rule.allow() ? "devices.allow" : "devices.deny", format(rule));
        }
    }

    /** The kernel's rule syntax: {@code type major:minor access}, e.g. {@code c 1:3 rwm}. */
    static String format(Resources.DeviceRule rule) {
        String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
        if (!type.equals("a") && !type.equals("c") && !type.equals("b")) {
            throw BerthException.invalid("device rule type \"" + type + "\" is not a, c or b");
        }
        String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        if (!access.matches("[rwm]{1,3}")) {
            throw BerthException.invalid("device rule access \"" + access + "\" is not made of r, w and m");
        }
        if (type.equals("a")) {
            // "a" matches every device; the kernel takes it alone.
            return "a";
        }
        return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
    }

    private static String number(Long n) {
        return n == null || n < 0 ? "*" : Long.toString(n);
    }
}
