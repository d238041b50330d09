package dev.berth.image.archive;

import dev.berth.image.content.ContentStore;
import dev.berth.image.content.Ingest;
import dev.berth.image.layer.Compression;
import dev.berth.image.snapshot.LayerSnapshot;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * A single-layer image from a root filesystem tarball ({@code docker import}): the tar (plain,
 * gzip or zstd) is stored uncompressed, so its blob digest is its diff id and saves need no
 * decompression, then unpacked into its snapshot; the config is made here, with
 * {@code --change} lines applied and the message as comment and history.
 */
final class RootfsImport {
    private final ContentStore content;
    private final Snapshotter snapshots;

    RootfsImport(ContentStore content, Snapshotter snapshots) {
        this.content = content;
        this.snapshots = snapshots;
    }

    /** The stored layer of an import: its blob (uncompressed) and snapshot. */
    record ImportedLayer(Digest diffId, Descriptor blob) {
    }

    /** Stores the tar's uncompressed bytes as a blob and unpacks it as a base layer. */
    ImportedLayer storeLayer(InputStream tar) {
        Digest diffId;
        long size;
        try (Ingest ingest = content.ingest()) {
            BufferedInputStream in = new BufferedInputStream(tar, 1 << 16);
            Compression compression = Compression.detect(in);
            try (InputStream plain = compression.decompress(in)) {
                plain.transferTo(ingest.stream());
            }
            size = ingest.written();
            if (size == 0) {
                throw BerthException.invalid("invalid rootfs: the tarball is empty");
            }
            diffId = ingest.commit(null);
        } catch (IOException e) {
            throw BerthException.invalid("invalid rootfs tarball: " + e.getMessage());
        }
        unpackBase(diffId);
        return new ImportedLayer(diffId, Descriptor.of(MediaTypes.OCI_LAYER, diffId, size));
    }

    /** Unpacks a stored uncompressed layer blob as a base layer (its chain id is its diff id). */
    LayerSnapshot unpackBase(Digest diffId) {
        if (snapshots.hasLayer(diffId)) {
            return snapshots.layer(diffId);
        }
        try (InputStream in = content.open(diffId)) {
            return snapshots.addLayer(diffId, null, diffId, in);
        } catch (IOException e) {
            throw BerthException.internal("cannot read blob " + diffId + ": " + e.getMessage(), e);
        } catch (BerthException e) {
            if (e.kind() == BerthException.Kind.INVALID_ARGUMENT) {
                throw BerthException.invalid("invalid rootfs tarball: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The config docker import writes: host platform, creation time, the run config the changes
     * make, one layer, and one history entry whose comment is the message ("Imported from -"
     * when there is none).
     */
    static byte[] config(Platform platform, Instant now, Digest diffId, List<String> changes, String message) {
        ImageConfig.Config run = ConfigChanges.apply(ImageConfig.Config.EMPTY, changes == null ? List.of() : changes);
        String comment = message == null || message.isEmpty() ? "Imported from -" : message;
        ImageConfig config = ImageConfig.of(platform, now, run, List.of(diffId),
                List.of(ImageConfig.History.of(now, "", comment, false))).withComment(comment);
        return dev.berth.oci.image.ImageJson.write(config);
    }
}
