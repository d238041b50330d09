package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.CapabilityNames;
import java.util.List;

/** Capability names (kept in berth-oci's {@link CapabilityNames}) as bit masks for capset. */
public final class Capability {
    private Capability() {}

    public static List<String> all() {
        return CapabilityNames.ALL;
    }

    /** The bit number of a name like CAP_CHOWN (the CAP_ prefix may be left out, any case). */
    public static int number(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        int i = CapabilityNames.number(n);
        if (i < 0) {
            throw BerthException.invalid("unknown capability " + name);
        }
        return i;
    }

    /** The bit mask of a list of names. */
    public static long mask(List<String> names) {
        long m = 0;
        for (String name : names) {
            m |= 1L << number(name);
        }
        return m;
    }
}
