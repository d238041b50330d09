package dev.berth.daemon.system;

import dev.berth.daemon.config.Cidrs;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * /info's {@code RegistryConfig} as dockerd 20.10 reports it: insecure CIDRs (127.0.0.0/8 always,
 * last), one IndexConfigs entry per insecure host[:port] and docker.io's with the mirrors.
 */
final class RegistryConfigWire {
    static final String LOOPBACK = "127.0.0.0/8";

    private RegistryConfigWire() {}

    static Map<String, Object> of(RegistryOptions options) {
        List<String> cidrs = new ArrayList<>();
        Map<String, Object> indexes = new TreeMap<>(); // Go marshals map keys sorted
        for (String r : options.insecureRegistries()) {
            var network = Cidrs.network(r);
            if (network.isPresent()) {
                if (!cidrs.contains(network.get())) {
                    cidrs.add(network.get());
                }
            } else {
                indexes.put(r, index(r, List.of(), false, false));
            }
        }
        if (!cidrs.contains(LOOPBACK)) {
            cidrs.add(LOOPBACK);
        }
        indexes.put("docker.io", index("docker.io", options.registryMirrors(), true, true));
        return JsonObjectBuilder.create()
                .put("AllowNondistributableArtifactsCIDRs", List.of())
                .put("AllowNondistributableArtifactsHostnames", List.of())
                .put("InsecureRegistryCIDRs", cidrs)
                .put("IndexConfigs", indexes)
                .put("Mirrors", options.registryMirrors())
                .build();
    }

    private static Map<String, Object> index(String name, List<String> mirrors, boolean secure, boolean official) {
        return JsonObjectBuilder.create()
                .put("Name", name)
                .put("Mirrors", mirrors)
                .put("Secure", secure)
                .put("Official", official)
                .build();
    }
}
