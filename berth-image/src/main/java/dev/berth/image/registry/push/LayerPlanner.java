package dev.berth.image.registry.push;

import dev.berth.image.content.ContentStore;
import dev.berth.image.layer.Compression;
import dev.berth.image.registry.BlobOrigins;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.image.store.Image;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, for each layer of a local image, which bytes a push sends. A blob the content store
 * keeps compressed (a pulled or loaded layer) goes as it is: no work, and the registry may have
 * it already under that digest. A plain tar blob (bootstrap, commit, import, a docker save
 * archive) is gzipped on the way unless {@link GzipProbe} finds it does not compress. A layer
 * whose own blob is gone may still be in the store under another image: its plain tar (whose
 * digest is the diff id) or a compressed blob {@link BlobOrigins} names for the diff id (a pull
 * that found the layer's snapshot already there downloads nothing, so its image keeps no blob of
 * that layer). Only a layer with none of these is packed again from its snapshot with
 * {@code LayerPacker} and gzipped; the packed tar must give the recorded diff id (checked when it
 * has been sent, before the upload is closed), which a snapshot of a tar berth did not write
 * itself may not do.
 */
public final class LayerPlanner {
    private final ContentStore content;
    private final Snapshotter snapshots;
    private final BlobOrigins origins;

    public LayerPlanner(ContentStore content, Snapshotter snapshots, BlobOrigins origins) {
        this.content = content;
        this.snapshots = snapshots;
        this.origins = origins;
    }

    /** The image's layers, bottom first. */
    public List<PushLayer> plan(Image image) {
        List<PushLayer> out = new ArrayList<>(image.layers().size());
        for (Image.Layer l : image.layers()) {
            out.add(plan(l));
        }
        return out;
    }

    PushLayer plan(Image.Layer layer) {
        Optional<Descriptor> blob = layer.blob().filter(b -> content.contains(b.digest())).or(() -> keptElsewhere(layer));
        if (blob.isPresent()) {
            Descriptor b = blob.get();
            long size = content.size(b.digest());
            Descriptor stored = Descriptor.of(b.mediaType(), b.digest(), size);
            Compression compression = compressionOf(stored);
            if (compression == Compression.NONE && worthCompressing(stored)) {
                return new PushLayer(layer.diffId(), layer.chainId(), size, new PushLayer.Gzipped(stored));
            }
            return new PushLayer(layer.diffId(), layer.chainId(), size, new PushLayer.AsStored(stored, compression));
        }
        if (snapshots.hasLayer(layer.chainId())) {
            return new PushLayer(layer.diffId(), layer.chainId(), snapshots.sizeOf(layer.chainId()),
                    new PushLayer.Repacked(layer.chainId()));
        }
        throw BerthException.precondition("layer " + layer.diffId() + " has neither a blob nor a snapshot: it cannot be pushed");
    }

    /** A blob of the same layer that the store keeps for another image: its plain tar first, then a recorded compressed one. */
    private Optional<Descriptor> keptElsewhere(Image.Layer layer) {
        if (content.contains(layer.diffId())) {
            return Optional.of(Descriptor.of(MediaTypes.OCI_LAYER, layer.diffId(), content.size(layer.diffId())));
        }
        for (BlobOrigins.Origin o : origins.of(layer.diffId())) {
            if (content.contains(o.blob())) {
                return Optional.of(Descriptor.of(o.mediaType(), o.blob(), o.size()));
            }
        }
        return Optional.empty();
    }

    /** Told by the blob's first bytes: media types lie (docker save writes plain tars as "tar.gzip"). */
    private Compression compressionOf(Descriptor blob) {
        try (InputStream raw = content.open(blob.digest()); BufferedInputStream in = new BufferedInputStream(raw, 16)) {
            return Compression.detect(in);
        } catch (IOException e) {
            throw BerthException.internal("blob " + blob.digest() + ": " + e.getMessage(), e);
        }
    }

    private boolean worthCompressing(Descriptor plain) {
        try (InputStream in = content.open(plain.digest())) {
            return GzipProbe.worthCompressing(in);
        } catch (IOException e) {
            throw BerthException.internal("blob " + plain.digest() + ": " + e.getMessage(), e);
        }
    }
}
