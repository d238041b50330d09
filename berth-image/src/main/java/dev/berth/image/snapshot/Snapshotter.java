package dev.berth.image.snapshot;

import dev.berth.image.layer.UnpackResult;
import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Unpacked layers keyed by chain id, each unpacked once and shared by every image and container
 * that uses it; plus the writable layers of containers.
 */
public interface Snapshotter {
    boolean hasLayer(Digest chainId);

    /**
     * Unpacks a layer (gzip, zstd or none) on top of {@code parentChainIdOrNull}. Concurrent adders
     * of the same chain id: one unpacks, the others get its result. A diff id other than
     * {@code expectedDiffIdOrNull} is INVALID_ARGUMENT and leaves nothing behind.
     */
    LayerSnapshot addLayer(Digest chainId, Digest parentChainIdOrNull, Digest expectedDiffIdOrNull, InputStream layer);

    /**
     * Whether {@link #adoptLayer} works. Image archives name the order of their layers last, so
     * a loader that can hand over a layer it unpacked while it streamed past unpacks in one pass.
     */
    default boolean canAdoptLayers() {
        return false;
    }

    /**
     * Makes {@code unpackedDir}, a layer that {@code LayerUnpacker} unpacked before its place in a
     * stack was known, the snapshot {@code chainId} on top of {@code parentChainIdOrNull}. The
     * directory must be on the data root's file system: it is moved, not copied. When the chain
     * id exists already, that snapshot is returned and the directory left to the caller.
     *
     * @throws dev.berth.oci.BerthException INVALID_ARGUMENT when parent and diff id do not give
     *     {@code chainId}; FAILED_PRECONDITION without the parent; UNSUPPORTED unless
     *     {@link #canAdoptLayers}
     */
    default LayerSnapshot adoptLayer(Digest chainId, Digest parentChainIdOrNull, UnpackResult unpacked, Path unpackedDir) {
        throw dev.berth.oci.BerthException.unsupported("this snapshotter cannot adopt unpacked layers");
    }

    /** NOT_FOUND when absent. */
    LayerSnapshot layer(Digest chainId);

    /** The directories of the stack ending in {@code topChainId}, top first, for overlay lowerdir=. */
    List<Path> lowerDirs(Digest topChainId);

    /** FAILED_PRECONDITION while another layer has it as parent. */
    void removeLayer(Digest chainId);

    Set<Digest> layers();

    /** A container's writable layer on top of {@code parentChainIdOrNull}; CONFLICT if the key exists. */
    ContainerMount prepare(String key, Digest parentChainIdOrNull);

    /** The mount of an existing container snapshot (the engine's start); NOT_FOUND when absent. */
    default ContainerMount mount(String key) {
        throw dev.berth.oci.BerthException.unsupported("this snapshotter cannot mount container snapshots");
    }

    /** The keys of every container snapshot (the engine sweeps those no container owns). */
    default Set<String> containerKeys() {
        return Set.of();
    }

    /** Removes a container's writable layer; absent keys are fine. */
    void remove(String key);

    /**
     * Removes a container's writable layer from the store at once and returns the directory
     * that still holds its files, for the caller to delete when it suits it (the engine's rm
     * does it off the request's path); empty when there is nothing left to delete, or the key
     * was absent. Unlike {@link #remove} it need not be durable: a power loss may bring the
     * layer back, and the caller orders it after its own durable step.
     */
    default java.util.Optional<Path> detach(String key) {
        remove(key);
        return java.util.Optional.empty();
    }
}
