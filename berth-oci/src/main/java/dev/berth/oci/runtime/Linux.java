package dev.berth.oci.runtime;

import java.util.List;
import java.util.Map;

/** linux: the Linux-specific part of config.json (config-linux.md). */
public record Linux(
        List<Namespace> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        List<Device> devices,
        String cgroupsPath,
        Resources resources,
        String rootfsPropagation,
        Seccomp seccomp,
        Map<String, String> sysctl,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        Personality personality) {
    public Linux {
        namespaces = List.copyOf(namespaces == null ? List.of() : namespaces);
        uidMappings = List.copyOf(uidMappings == null ? List.of() : uidMappings);
        gidMappings = List.copyOf(gidMappings == null ? List.of() : gidMappings);
        devices = List.copyOf(devices == null ? List.of() : devices);
        sysctl = sysctl == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctl));
        maskedPaths = List.copyOf(maskedPaths == null ? List.of() : maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths == null ? List.of() : readonlyPaths);
    }
}
