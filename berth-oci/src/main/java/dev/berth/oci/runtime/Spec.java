package dev.berth.oci.runtime;

import java.util.List;
import java.util.Map;

/** config.json: the container's configuration (config.md). */
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {
    public Spec {
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
    }
}
