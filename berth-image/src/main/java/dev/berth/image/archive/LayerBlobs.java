package dev.berth.image.archive;

import dev.berth.image.content.ContentStore;
import dev.berth.image.layer.Compression;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;

/** Facts about a layer blob in the content store: its descriptor, and whether it really is a given diff id. */
final class LayerBlobs {
    private LayerBlobs() {
    }

    /**
     * The descriptor of a layer blob: the one a manifest declared, else one made from the blob
     * (uncompressed when its digest is the diff id, else gzip or zstd by its first bytes).
     */
    static Descriptor describe(ContentStore content, Digest blob, Digest diffId, Optional<Descriptor> declared) {
        long size = content.size(blob);
        if (declared.isPresent()) {
            Descriptor d = declared.get();
            if (d.size() != size) {
                throw BerthException.invalid("invalid archive: layer " + blob + " has " + size + " bytes, its descriptor says " + d.size());
            }
            return d;
        }
        if (blob.equals(diffId)) {
            return Descriptor.of(MediaTypes.OCI_LAYER, blob, size);
        }
        return Descriptor.of(mediaType(compression(content, blob)), blob, size);
    }

    static String mediaType(Compression c) {
        return switch (c) {
            case NONE -> MediaTypes.OCI_LAYER;
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
        };
    }

    static Compression compression(ContentStore content, Digest blob) {
        try (BufferedInputStream in = new BufferedInputStream(content.open(blob), 64)) {
            return Compression.detect(in);
        } catch (IOException e) {
            throw BerthException.internal("cannot read blob " + blob + ": " + e.getMessage(), e);
        }
    }

    /** Decompresses and hashes the blob: INVALID_ARGUMENT unless it is the layer {@code diffId}. */
    static void checkDiffId(ContentStore content, Digest blob, Digest diffId, String path) {
        if (blob.equals(diffId)) {
            return;
        }
        MessageDigest hasher = Digest.newHasher(diffId.algorithm());
        try (BufferedInputStream raw = new BufferedInputStream(content.open(blob), 1 << 16);
                InputStream in = Compression.detect(raw).decompress(raw)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                hasher.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw BerthException.invalid("invalid layer \"" + path + "\": " + e.getMessage());
        }
        Digest actual = Digest.from(diffId.algorithm(), hasher);
        if (!actual.equals(diffId)) {
            throw BerthException.invalid("invalid layer \"" + path + "\": diff id mismatch: config says " + diffId + ", layer is " + actual);
        }
    }
}
