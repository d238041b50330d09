package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import java.util.List;

/** RLIMIT_* names (getrlimit(2)) and their resource numbers on Linux. */
public final class Rlimits {
    private static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private Rlimits() {}

    public static int number(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw BerthException.invalid("config.json: process.rlimits: unknown rlimit type " + name);
        }
        return i;
    }
}
