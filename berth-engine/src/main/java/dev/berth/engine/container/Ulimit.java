package dev.berth.engine.container;

import dev.berth.oci.BerthException;

/** HostConfig.Ulimits entry: {@code {"Name":"nofile","Soft":1024,"Hard":2048}}. */
public record Ulimit(String name, long soft, long hard) {
    public Ulimit {
        if (name == null || name.isEmpty()) {
            throw BerthException.invalid("invalid ulimit: name must not be empty");
        }
        if (soft > hard && hard >= 0) {
            throw BerthException.invalid("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
        }
    }

    /** The OCI rlimit type, {@code RLIMIT_NOFILE}. */
    public String rlimitType() {
        return "RLIMIT_" + name.toUpperCase(java.util.Locale.ROOT);
    }
}
