package dev.berth.image.store;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Reference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An image as berth keeps it: the id (sha256 of the config bytes, which live in the content
 * store), the parsed config, the layers with their chain ids (snapshot keys) and, when kept,
 * the blob each came from, the references that name it, and its size: the sum of its layer
 * snapshots, as docker reports it.
 */
public record Image(Digest id, ImageConfig config, long configSize, List<Layer> layers, List<Reference> repoTags,
                    List<Reference> repoDigests, long size, Optional<Instant> lastTagTime) {
    public Image {
        layers = List.copyOf(layers);
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        lastTagTime = lastTagTime == null ? Optional.empty() : lastTagTime;
    }

    /**
     * One layer of the image, bottom first.
     *
     * @param size bytes its snapshot takes on disk (what docker calls the layer's diff size)
     * @param blob the compressed or plain tar it was loaded from, if the content store keeps it
     */
    public record Layer(Digest diffId, Digest chainId, long size, Optional<Descriptor> blob) {
        public Layer {
            blob = blob == null ? Optional.empty() : blob;
        }
    }

    /** The config's creation time, if it has a readable one. */
    public Optional<Instant> created() {
        return config.createdInstant();
    }

    /** Docker's "dangling": no tag names the image (digest references don't count). */
    public boolean dangling() {
        return repoTags.isEmpty();
    }

    /** The chain id of the whole layer stack (the snapshot a container starts from); empty without layers. */
    public Optional<Digest> topChainId() {
        return layers.isEmpty() ? Optional.empty() : Optional.of(layers.getLast().chainId());
    }

    /** Tags and digest references, as docker prints them ({@code busybox:latest}). */
    public List<String> familiarRepoTags() {
        return familiar(repoTags);
    }

    public List<String> familiarRepoDigests() {
        return familiar(repoDigests);
    }

    /** Every reference, tags then digests. */
    public List<Reference> references() {
        List<Reference> out = new ArrayList<>(repoTags);
        out.addAll(repoDigests);
        return out;
    }

    public Image withReferences(List<Reference> tags, List<Reference> digests, Optional<Instant> tagTime) {
        return new Image(id, config, configSize, layers, tags, digests, size, tagTime);
    }

    private static List<String> familiar(List<Reference> refs) {
        List<String> out = new ArrayList<>(refs.size());
        for (Reference r : refs) {
            out.add(r.familiar());
        }
        return out;
    }
}
