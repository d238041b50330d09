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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Frees the snapshots and blobs images no longer use. What to delete is decided under the image
 * service's lock and marked; the deleting itself (big I/O) runs after the lock is released, and
 * {@link #awaitNotDeleting} lets an {@code add} of the same layers wait until it is over, then
 * find them gone rather than record an image whose layers vanish under it.
 *
 * <p>Content an open {@link ImageLease} protects is never deleted: a removal that frees it defers
 * it, and {@link #released} deletes what is still unused when the lease ends. Diff ids no image
 * has any more after a deletion are told to the {@link #onUnusedDiffIds} listeners (the
 * registry's blob origins forget them).
 */
final class GarbageCollector {
    private static final System.Logger LOG = System.getLogger(GarbageCollector.class.getName());

    private final ContentStore content;
    private final Snapshotter snapshotter;
    /** The image service's lock; every method but {@link Batch#delete} runs holding it. */
    private final Object lock;
    private final Set<Digest> deletingLayers = new HashSet<>();
    private final Set<Digest> deletingBlobs = new HashSet<>();
    private final List<ImageLease> leases = new ArrayList<>();
    private final Set<Digest> deferredLayers = new HashSet<>();
    private final Set<Digest> deferredBlobs = new HashSet<>();
    private final Set<Digest> deferredDiffIds = new HashSet<>();
    private final List<Consumer<Set<Digest>>> unusedDiffIdListeners = new CopyOnWriteArrayList<>();

    GarbageCollector(ContentStore content, Snapshotter snapshotter, Object lock) {
        this.content = content;
        this.snapshotter = snapshotter;
        this.lock = lock;
    }

    /** Adds a listener called, without the lock, with the diff ids no image has any more after a deletion. */
    void onUnusedDiffIds(Consumer<Set<Digest>> listener) {
        unusedDiffIdListeners.add(listener);
    }

    void opened(ImageLease lease) {
        leases.add(lease);
    }

    Set<Digest> leasedDiffIds() {
        Set<Digest> out = new HashSet<>();
        leases.forEach(l -> out.addAll(l.diffIds));
        return out;
    }

    /** Waits (releasing the lock) while any of these layers or blobs is being deleted. */
    void awaitNotDeleting(Digest configId, List<Digest> chains, List<Descriptor> blobs) {
        awaitNotDeleting(chains, Stream.concat(Stream.of(configId), blobs.stream().map(Descriptor::digest)).toList());
    }

    /** Waits (releasing the lock) while any of these layers or blobs is being deleted. */
    void awaitNotDeleting(Collection<Digest> chains, Collection<Digest> blobs) {
        while (chains.stream().anyMatch(deletingLayers::contains) || blobs.stream().anyMatch(deletingBlobs::contains)) {
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

    /**
     * What deleting {@code removed} frees given the images that {@code remain}: layers top first,
     * blobs, and the diff ids no image has any more. What a lease protects is deferred to its end.
     */
    Batch afterRemoving(Collection<Image> removed, Collection<Image> remain) {
        Set<Digest> usedLayers = new HashSet<>();
        Set<Digest> usedBlobs = new HashSet<>();
        Set<Digest> usedDiffIds = new HashSet<>();
        used(remain, usedLayers, usedBlobs, usedDiffIds);
        List<Digest> layers = new ArrayList<>();
        List<Digest> blobs = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (Image image : removed) {
            freed(image.id(), usedBlobs, blobs, deferredBlobs, l -> l.blobs);
            for (Image.Layer l : image.layers().reversed()) {
                freed(l.chainId(), usedLayers, layers, deferredLayers, lease -> lease.layers);
            }
            for (Image.Layer l : image.layers()) {
                l.blob().ifPresent(b -> freed(b.digest(), usedBlobs, blobs, deferredBlobs, lease -> lease.blobs));
                freed(l.diffId(), usedDiffIds, diffIds, deferredDiffIds, lease -> lease.diffIds);
            }
        }
        return mark(layers, blobs, diffIds);
    }

    // An unused digest goes to the batch, or to the deferred set while a lease protects it.
    private void freed(Digest d, Set<Digest> used, List<Digest> batch, Set<Digest> deferred,
            Function<ImageLease, Set<Digest>> leased) {
        if (used.contains(d) || batch.contains(d)) {
            return;
        }
        if (leases.stream().anyMatch(l -> leased.apply(l).contains(d))) {
            deferred.add(d);
        } else {
            batch.add(d);
        }
    }

    /** Ends {@code lease}: what removals deferred for it and nothing in {@code images} nor another lease uses now. */
    Batch released(ImageLease lease, Collection<Image> images) {
        leases.remove(lease);
        Set<Digest> usedLayers = new HashSet<>();
        Set<Digest> usedBlobs = new HashSet<>();
        Set<Digest> usedDiffIds = new HashSet<>();
        used(images, usedLayers, usedBlobs, usedDiffIds);
        List<Digest> layers = undefer(deferredLayers, usedLayers, l -> l.layers);
        List<Digest> blobs = undefer(deferredBlobs, usedBlobs, l -> l.blobs);
        List<Digest> diffIds = undefer(deferredDiffIds, usedDiffIds, l -> l.diffIds);
        return mark(topFirst(layers), blobs, diffIds);
    }

    // Takes out of deferred what is used again (no longer garbage) or free now (returned).
    private List<Digest> undefer(Set<Digest> deferred, Set<Digest> used,
            Function<ImageLease, Set<Digest>> leased) {
        List<Digest> free = new ArrayList<>();
        for (Iterator<Digest> it = deferred.iterator(); it.hasNext(); ) {
            Digest d = it.next();
            if (used.contains(d)) {
                it.remove();
            } else if (leases.stream().noneMatch(l -> leased.apply(l).contains(d))) {
                it.remove();
                free.add(d);
            }
        }
        return free;
    }

    /** Every snapshot and blob none of {@code images} (nor a lease) uses. Only safe while no import is in flight. */
    Batch orphans(Collection<Image> images) {
        Set<Digest> usedLayers = new HashSet<>();
        Set<Digest> usedBlobs = new HashSet<>();
        used(images, usedLayers, usedBlobs, new HashSet<>());
        for (ImageLease lease : leases) {
            usedLayers.addAll(lease.layers);
            usedBlobs.addAll(lease.blobs);
        }
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
        return mark(topFirst(layers), blobs, List.of());
    }

    private static void used(Collection<Image> images, Set<Digest> layers, Set<Digest> blobs, Set<Digest> diffIds) {
        for (Image image : images) {
            blobs.add(image.id());
            for (Image.Layer l : image.layers()) {
                layers.add(l.chainId());
                diffIds.add(l.diffId());
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

    private Batch mark(List<Digest> layers, List<Digest> blobs, List<Digest> diffIds) {
        deletingLayers.addAll(layers);
        deletingBlobs.addAll(blobs);
        return new Batch(layers, blobs, diffIds);
    }

    /** Layers and blobs to delete outside the lock; unmarked (and waiters woken) when done. */
    final class Batch {
        private final List<Digest> layers;
        private final List<Digest> blobs;
        private final List<Digest> diffIds;

        private Batch(List<Digest> layers, List<Digest> blobs, List<Digest> diffIds) {
            this.layers = layers;
            this.blobs = blobs;
            this.diffIds = diffIds;
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
            if (!diffIds.isEmpty()) {
                for (Consumer<Set<Digest>> listener : unusedDiffIdListeners) {
                    try {
                        listener.accept(Set.copyOf(diffIds));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "image gc: a listener failed: " + e.getMessage());
                    }
                }
            }
            return items;
        }
    }
}
