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
            String line = format(rule);
            if (!line.isEmpty()) {
                files.write(dir, rule.allow() ? "devices.allow" : "devices.deny", line);
            }
        }
    }

    /**
     * The kernel's rule syntax: {@code type major:minor access}, e.g. {@code c 1:3 rwm}. Letters
     * of access other than r, w and m are ignored, as runc does (its update.bats denies
     * {@code rwa}); a rule left with no access changes nothing and formats as "".
     */
    static String format(Resources.DeviceRule rule) {
        String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
        if (!type.equals("a") && !type.equals("c") && !type.equals("b")) {
            throw BerthException.invalid("device rule type \"" + type + "\" is not a, c or b");
        }
        String given = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        StringBuilder access = new StringBuilder(3);
        for (char c : new char[] {'r', 'w', 'm'}) {
            if (given.indexOf(c) >= 0) {
                access.append(c);
            }
        }
        if (access.isEmpty()) {
            return "";
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
