package dev.berth.oci.runtime;

import java.util.List;

/** One entry of mounts (config.md "Mounts"); applied in order. */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {
    public Mount {
        options = List.copyOf(options == null ? List.of() : options);
        uidMappings = List.copyOf(uidMappings == null ? List.of() : uidMappings);
        gidMappings = List.copyOf(gidMappings == null ? List.of() : gidMappings);
    }
}
