package dev.berth.oci.runtime;

import java.util.List;

/** process.user (POSIX platforms). umask is null when not given. */
public record User(long uid, long gid, Integer umask, List<Long> additionalGids, String username) {
    public User {
        additionalGids = List.copyOf(additionalGids == null ? List.of() : additionalGids);
    }
}
