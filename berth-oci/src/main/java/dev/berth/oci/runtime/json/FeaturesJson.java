package dev.berth.oci.runtime.json;

import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.oci.runtime.CapabilityNames;
import dev.berth.oci.runtime.MountOptionNames;
import dev.berth.oci.runtime.NamespaceTypes;
import dev.berth.oci.runtime.OciVersion;
import dev.berth.oci.runtime.SeccompNames;
import java.util.List;
import java.util.Map;

/**
 * The {@code features} document (features.md, features-linux.md): what berth's runtime
 * recognizes, independent of what this host's kernel offers. Laid out as {@code runc features}
 * prints it (four-space indentation, specs-go/features field order).
 *
 * <p>The vocabularies come from the same lists {@link dev.berth.oci.runtime.SpecValidator}
 * checks against, so a name advertised here is a name a config may use. seccomp supportedFlags
 * equals knownFlags: the flags are handed to the kernel as they are, and Linux 6.x has them all.
 */
public final class FeaturesJson {
    /** berth's version, reported in the annotations. */
    public static final String BERTH_VERSION = "0.1.0-dev";

    private static final List<String> HOOKS = List.of(
            "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    private FeaturesJson() {}

    public static String write() {
        return Json.writeIndented(JsonObjectBuilder.create()
                .put("ociVersionMin", OciVersion.MIN)
                .put("ociVersionMax", OciVersion.MAX)
                .put("hooks", HOOKS)
                .put("mountOptions", MountOptionNames.KNOWN)
                .put("linux", linux())
                .put("annotations", Map.of("dev.berth.version", BERTH_VERSION))
                .build(), "    ");
    }

    private static Object linux() {
        return JsonObjectBuilder.create()
                .put("namespaces", NamespaceTypes.SUPPORTED)
                .put("capabilities", CapabilityNames.ALL)
                .put("cgroup", JsonObjectBuilder.create()
                        .put("v1", true)
                        .put("v2", true)
                        .put("systemd", false)
                        .put("systemdUser", false)
                        .put("rdma", false)
                        .build())
                .put("seccomp", JsonObjectBuilder.create()
                        .put("enabled", true)
                        .put("actions", SeccompNames.ACTIONS)
                        .put("operators", SeccompNames.OPERATORS)
                        .put("archs", SeccompNames.SUPPORTED_ARCHS)
                        .put("knownFlags", SeccompNames.FLAGS)
                        .put("supportedFlags", SeccompNames.FLAGS)
                        .build())
                .put("apparmor", enabled(false))
                .put("selinux", enabled(false))
                .put("intelRdt", enabled(false))
                .put("mountExtensions", JsonObjectBuilder.create().put("idmap", enabled(false)).build())
                .build();
    }

    private static Object enabled(boolean enabled) {
        return JsonObjectBuilder.create().put("enabled", enabled).build();
    }
}
