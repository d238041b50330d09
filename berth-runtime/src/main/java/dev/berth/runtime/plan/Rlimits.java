package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.RlimitNames;

/** RLIMIT_* names (kept in berth-oci's {@link RlimitNames}) as resource numbers for setrlimit. */
public final class Rlimits {
    private Rlimits() {}

    public static int number(String name) {
        int i = RlimitNames.number(name);
        if (i < 0) {
            throw BerthException.invalid("config.json: process.rlimits: unknown rlimit type " + name);
        }
        return i;
    }
}
