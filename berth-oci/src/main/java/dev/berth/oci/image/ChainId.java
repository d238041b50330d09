package dev.berth.oci.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain ids name a stack of layers (image spec, config.md "Layer ChainID"): the first layer's
 * chain id is its diff id, and each next one is sha256 of "parentChainId diffId". A snapshot is
 * keyed by chain id, so two images that share a base share its unpacked layers.
 */
public final class ChainId {
    private ChainId() {
    }

    public static Digest of(Digest parentChainId, Digest diffId) {
        if (parentChainId == null) {
            return diffId;
        }
        return Digest.sha256((parentChainId + " " + diffId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The chain id of every prefix of the stack, bottom layer first. */
    public static List<Digest> all(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest parent = null;
        for (Digest diffId : diffIds) {
            parent = of(parent, diffId);
            out.add(parent);
        }
        return List.copyOf(out);
    }

    /** The chain id of the whole stack, or null for an image without layers. */
    public static Digest top(List<Digest> diffIds) {
        List<Digest> all = all(diffIds);
        return all.isEmpty() ? null : all.getLast();
    }
}
