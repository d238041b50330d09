package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;

/**
 * How OCI values, defined in cgroup v1 terms, map to cgroup v2 files. The formulas are the
 * ones runc uses, so a config gives the same limits under berth and runc.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#memory">config-linux.md, Memory</a>
 */
final class Conversions {
    private Conversions() {}

    /**
     * cpu.shares (2..262144, default 1024) to cpu.weight (1..10000, default 100), linearly.
     * 0 means "not set" and stays 0.
     */
    static long sharesToWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** blkio.weight (10..1000) to io.weight (1..10000), linearly; 0 means "not set". */
    static long blkioToIoWeight(long weight) {
        if (weight == 0) {
            return 0;
        }
        return 1 + ((weight - 10) * 9999) / 990;
    }

    /**
     * OCI memory.swap is memory+swap (v1 memsw); v2 memory.swap.max is swap alone. Returns the
     * memory.swap.max value: -1 for "max", 0 for "leave as is".
     *
     * @param swap   OCI swap (0 if unset, -1 unlimited)
     * @param memory OCI limit (0 if unset, -1 unlimited)
     */
    static long swapToV2(long swap, long memory) {
        // v1 compatibility: unlimited memory with no swap setting means unlimited swap as well.
        if (memory == -1 && swap == 0) {
            return -1;
        }
        if (swap == -1 || swap == 0) {
            return swap;
        }
        if (memory == 0 || memory == -1) {
            throw BerthException.invalid("memory.swap " + swap + " needs a memory.limit as well");
        }
        if (memory < 0) {
            throw BerthException.invalid("memory.limit " + memory + " is negative");
        }
        if (swap < memory) {
            throw BerthException.invalid("memory.swap " + swap + " (memory+swap) must not be below memory.limit "
                    + memory);
        }
        return swap - memory;
    }

    /** v2 writes "max" where v1 takes -1. */
    static String maxOr(long value) {
        return value < 0 ? "max" : Long.toString(value);
    }
}
