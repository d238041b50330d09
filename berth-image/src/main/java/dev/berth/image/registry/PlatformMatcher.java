package dev.berth.image.registry;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.Platform;
import java.util.Optional;

/**
 * Picks an index's manifest for a platform, as dockerd does with containerd's matcher: os and
 * architecture equal; a variant asked for must match (arm64's "v8" and no variant are the same,
 * so are arm's "v7" and none); with no variant asked, an entry without one (or with the
 * architecture's default) comes first, then any variant. Among equals, the index's order.
 */
final class PlatformMatcher {
    private PlatformMatcher() {
    }

    static Optional<Descriptor> pick(ImageIndex index, Platform wanted) {
        Descriptor loose = null;
        for (Descriptor d : index.manifests()) {
            if (d.platform().isEmpty()) {
                continue;
            }
            Platform have = d.platform().get();
            if (!have.os().equals(wanted.os()) || !have.architecture().equals(wanted.architecture())) {
                continue;
            }
            String haveVariant = normalVariant(have.architecture(), have.variant());
            String wantVariant = normalVariant(wanted.architecture(), wanted.variant());
            if (haveVariant.equals(wantVariant)) {
                return Optional.of(d);
            }
            if (wanted.variant().isEmpty() && loose == null) {
                loose = d;
            }
        }
        return Optional.ofNullable(loose);
    }

    private static String normalVariant(String arch, String variant) {
        if (arch.equals("arm64") && (variant.isEmpty() || variant.equals("8"))) {
            return "v8";
        }
        if (arch.equals("arm") && variant.isEmpty()) {
            return "v7";
        }
        return variant;
    }
}
