package dev.berth.image.registry.push;

import dev.berth.image.layer.Compression;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;

/**
 * One layer of a local image and how its bytes reach a registry.
 *
 * @param diffId the layer's diff id (sha256 of its plain tar); dockerd's progress id is its short form
 * @param chainId the snapshot the layer is, when its bytes must be packed again
 * @param size what "Pushing" counts up to: the bytes read from the local blob or snapshot
 */
public record PushLayer(Digest diffId, Digest chainId, long size, Content content) {

    /** The short id dockerd shows for the layer in a push's progress. */
    public String progressId() {
        return diffId.shortHex();
    }

    /** Where the bytes come from. */
    public sealed interface Content {
    }

    /** The content store's blob, sent byte for byte: its digest is known before the upload. */
    public record AsStored(Descriptor blob, Compression compression) implements Content {
    }

    /** The content store's plain tar, gzipped while it is sent (its gzip digest is known at the end). */
    public record Gzipped(Descriptor plainBlob) implements Content {
    }

    /** No blob is kept: the snapshot is packed again (deterministic tar, then gzip) while it is sent. */
    public record Repacked(Digest chainId) implements Content {
    }
}
