package dev.berth.image.store;

import dev.berth.image.content.ContentStore;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Frees the snapshots and blobs images no longer use. What to delete is decided under the image
 * service's lock and marked; the deleting itself (big I/O) runs after the lock is released, and
 * {@link #awaitNotDeleting} lets an {@code add} of the same layers wait until it is over, then
 * find them gone rather than record an image whose layers vanish under it.
 */
final class GarbageCollector {
    private static final System.Logger LOG = System.getLogger(GarbageCollector.class.getName());

    private final ContentStore content;
    private final Snapshotter snapshotter;
    /** The image service's lock; every method but {@link Batch#delete} runs holding it. */
    private final Object lock;
    private final Set<Digest> deletingLayers = new HashSet<>();
    private final Set<Digest> deletingBlobs = new HashSet<>();

    GarbageCollector(ContentStore content, Snapshotter snapshotter, Object lock) {
        this.content = content;
        this.snapshotter = snapshotter;
        this.lock = lock;
    }

    /** Waits (releasing the lock) while any of these layers or blobs is being deleted. */
    void awaitNotDeleting(Digest configId, List<Digest> chains, List<Descriptor> blobs) {
        while (true) {
            boolean busy = deletingBlobs.contains(configId) || chains.stream().anyMatch(deletingLayers::contains)
                    || blobs.stream().anyMatch(b -> deletingBlobs.contains(b.digest()));
            if (!busy) {
                return;
            }
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BerthException.internal("interrupted while layers were being deleted", e);
            }
        }
    }

    /** Whether this blob is marked for deletion (call holding the lock). */
    boolean isDeleting(Digest blob) {
        return deletingBlobs.contains(blob);
    }

    /** What deleting {@code removed} frees given the images that {@code remain}: layers top first, blobs. */
    Batch afterRemoving(Collection<Image> removed, Collection<Image> remain) {
        Set<Digest> usedLayers = new HashSet<>();
        Set<Digest> usedBlobs = new HashSet<>();
        used(remain, usedLayers, usedBlobs);
        List<Digest> layers = new ArrayList<>();
        List<Digest> blobs = new ArrayList<>();
        for (Image image : removed) {
            blobs.add(image.id());
            for (Image.Layer l : image.layers().reversed()) {
                if (!usedLayers.contains(l.chainId()) && !layers.contains(l.chainId())) {
                    layers.add(l.chainId());
                }
            }
            for (Image.Layer l : image.layers()) {
                l.blob().map(Descriptor::digest).filter(d -> !usedBlobs.contains(d) && !blobs.contains(d)).ifPresent(blobs::add);
            }
        }
        return mark(layers, blobs);
    }

    /** Every snapshot and blob none of {@code images} uses. Only safe while no import is in flight. */
    Batch orphans(Collection<Image> images) {
        Set<Digest> usedLayers = new HashSet<>();
        Set<Digest> usedBlobs = new HashSet<>();
        used(images, usedLayers, usedBlobs);
        List<Digest> layers = new ArrayList<>();
        for (Digest chain : snapshotter.layers()) {
            if (!usedLayers.contains(chain)) {
                layers.add(chain);
            }
        }
        List<Digest> blobs = new ArrayList<>();
        for (Digest blob : content.list()) {
            if (!usedBlobs.contains(blob)) {
                blobs.add(blob);
            }
        }
        return mark(topFirst(layers), blobs);
    }

    private static void used(Collection<Image> images, Set<Digest> layers, Set<Digest> blobs) {
        for (Image image : images) {
            blobs.add(image.id());
            for (Image.Layer l : image.layers()) {
                layers.add(l.chainId());
                l.blob().ifPresent(b -> blobs.add(b.digest()));
            }
        }
    }

    /** Children before parents, so no layer is removed while one above it remains. */
    private List<Digest> topFirst(List<Digest> chains) {
        Map<Digest, Integer> depth = new HashMap<>();
        for (Digest c : chains) {
            int d = 0;
            Digest cur = c;
            try {
                while (cur != null && d < 10_000) {
                    cur = snapshotter.parentOf(cur); // no waiting for a pending unpack
                    d++;
                }
            } catch (BerthException e) {
                // a broken parent chain: as deep as we got
            }
            depth.put(c, d);
        }
        List<Digest> sorted = new ArrayList<>(chains);
        sorted.sort(Comparator.comparing((Digest c) -> depth.get(c)).reversed());
        return sorted;
    }

    private Batch mark(List<Digest> layers, List<Digest> blobs) {
        deletingLayers.addAll(layers);
        deletingBlobs.addAll(blobs);
        return new Batch(layers, blobs);
    }

    /** Layers and blobs to delete outside the lock; unmarked (and waiters woken) when done. */
    final class Batch {
        private final List<Digest> layers;
        private final List<Digest> blobs;

        private Batch(List<Digest> layers, List<Digest> blobs) {
            this.layers = layers;
            this.blobs = blobs;
        }

        List<Digest> blobs() {
            return blobs;
        }

        /** Deletes (call without the lock), returning a "Deleted" item per layer actually removed. */
        List<DeleteResponseItem> delete() {
            List<DeleteResponseItem> items = new ArrayList<>();
            try {
                for (Digest chain : layers) {
                    try {
                        snapshotter.removeLayer(chain);
                        items.add(DeleteResponseItem.deleted(chain.toString()));
                    } catch (BerthException e) {
                        // e.g. a container's layer still sits on it: left for a later sweep
                        LOG.log(System.Logger.Level.WARNING, "image gc: keeping layer " + chain + ": " + e.getMessage());
                    }
                }
                for (Digest blob : blobs) {
                    try {
                        content.delete(blob);
                    } catch (BerthException e) {
                        LOG.log(System.Logger.Level.WARNING, "image gc: keeping blob " + blob + ": " + e.getMessage());
                    }
                }
            } finally {
                synchronized (lock) {
                    layers.forEach(deletingLayers::remove);
                    blobs.forEach(deletingBlobs::remove);
                    lock.notifyAll();
                }
            }
            return items;
        }
    }
}
