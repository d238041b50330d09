package dev.berth.image.store;

import dev.berth.oci.image.Digest;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a pull or a push is working on, kept from the garbage collector until it is closed
 * (containerd's leases). A pull writes blobs and records layers before its image exists, and a
 * push reads an image's blobs and snapshots for minutes: an {@code rmi} or a prune meanwhile
 * would otherwise delete content the image about to be recorded, or the upload under way, needs.
 *
 * <p>Protect first, then look: {@link #protect} waits for a deletion already under way of any of
 * the digests to finish, so that what the caller then finds present ({@code hasLayer},
 * {@code contains}) stays present until {@link #close}. A removal that would have deleted
 * leased content defers it; closing the lease deletes what no image and no other lease uses by
 * then. What the lease holder wrote itself and never recorded in an image is left alone, as
 * before (a failed pull's blobs serve the next try).
 */
public final class ImageLease implements AutoCloseable {
    private final ImageService service;
    final Set<Digest> layers = new HashSet<>(); // chain ids
    final Set<Digest> diffIds = new HashSet<>();
    final Set<Digest> blobs = new HashSet<>(); // configs and layer blobs
    private boolean closed;

    ImageLease(ImageService service) {
        this.service = service;
    }

    /**
     * Protects an image's config blob, its layers (by diff id, bottom first: their chain ids) and
     * layer blobs, whether or not any of them exists yet.
     */
    public void protect(Digest configId, List<Digest> diffIds, Collection<Digest> layerBlobs) {
        service.protect(this, configId, diffIds, layerBlobs);
    }

    /** Protects a recorded image's content and returns the image; empty when no image has this id (any more). */
    public Optional<Image> hold(Digest imageId) {
        return service.hold(this, imageId);
    }

    /** Ends the lease: content it kept from a removal and that nothing uses now is deleted. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            service.release(this);
        }
    }
}
