package dev.berth.engine.spec;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.CapabilityNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Docker's capability rules: its default set, then --cap-add / --cap-drop (with ALL), names with or without CAP_. */
public final class CapabilitySet {
    /** Docker's default capabilities, in docker's order. */
    public static final List<String> DOCKER_DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private CapabilitySet() {}

    /**
     * The container's capabilities. Privileged: every capability berth knows that this process
     * holds itself (on an ordinary host all of them, as docker's; in a sandbox that took some away
     * the container can still start, where runc's capset would fail).
     */
    public static List<String> compute(List<String> add, List<String> drop, boolean privileged) {
        if (privileged) {
            long own = OwnBoundingSet.MASK;
            return CapabilityNames.ALL.stream().filter(c -> (own & (1L << CapabilityNames.ALL.indexOf(c))) != 0).toList();
        }
        List<String> adds = normalize(add);
        List<String> drops = normalize(drop);
        Set<String> caps = new LinkedHashSet<>();
        if (adds.contains("ALL")) {
            caps.addAll(CapabilityNames.ALL);
        } else if (!drops.contains("ALL")) {
            caps.addAll(DOCKER_DEFAULT);
        }
        for (String c : adds) {
            if (!c.equals("ALL") && !drops.contains(c)) {
                caps.add(c);
            }
        }
        if (!drops.contains("ALL")) {
            for (String c : drops) {
                if (!adds.contains(c)) {
                    caps.remove(c);
                }
            }
        }
        return new ArrayList<>(caps);
    }

    static List<String> normalize(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String u = n.toUpperCase(Locale.ROOT);
            if (u.equals("ALL")) {
                out.add("ALL");
                continue;
            }
            if (!u.startsWith("CAP_")) {
                u = "CAP_" + u;
            }
            if (!CapabilityNames.isKnown(u)) {
                throw BerthException.invalid("unknown capability: \"" + n + "\"");
            }
            out.add(u);
        }
        return out;
    }

    /** This process's capability bounding set (CapBnd in /proc/self/status), read once; all bits when unreadable. */
    private static final class OwnBoundingSet {
        static final long MASK = read();

        private static long read() {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                    if (line.startsWith("CapBnd:")) {
                        return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                // not Linux, or an odd /proc: assume everything
            }
            return -1L;
        }
    }
}
