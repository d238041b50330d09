package dev.berth.oci.runtime;

import java.util.List;

/**
 * The process.rlimits types berth knows (getrlimit(2)), in the order of their resource numbers
 * on x86_64 and aarch64 (asm-generic/resource.h), so a name's index is its number there.
 */
public final class RlimitNames {
    /** Every known type; the index of a name is its resource number. */
    public static final List<String> ALL = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE",
            "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO",
            "RLIMIT_RTTIME");

    private RlimitNames() {}

    public static boolean isKnown(String name) {
        return name != null && ALL.contains(name);
    }

    /** The resource number of a known type, or -1. */
    public static int number(String name) {
        return ALL.indexOf(name);
    }
}
