package dev.berth.oci.runtime;

import java.util.List;

/** linux.personality: domain LINUX or LINUX32. */
public record Personality(String domain, List<String> flags) {
    public Personality {
        flags = List.copyOf(flags == null ? List.of() : flags);
    }
}
