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

    /**
     * Records a layer whose tar is verified and durable elsewhere (the content store) without
     * unpacking it yet: from here on it counts as present ({@link #hasLayer}, {@link #layers}, a
     * parent for other layers) and is unpacked later, in the background or by the first caller
     * that needs its files ({@link #layer}, {@link #lowerDirs}, {@link #prepare}), which waits for
     * it and never sees a half-made layer. {@code size} is what the unpacked files will take (a
     * scan of the tar, {@code LayerScan}). Does nothing when the chain id exists. The default
     * unpacks now.
     *
     * @throws dev.berth.oci.BerthException FAILED_PRECONDITION without the parent
     */
    default void addLayerLater(Digest chainId, Digest parentChainIdOrNull, Digest diffId, long size, LayerSource source) {
        if (hasLayer(chainId)) {
            return;
        }
        try (InputStream in = source.open()) {
            addLayer(chainId, parentChainIdOrNull, diffId, in);
        } catch (java.io.IOException e) {
            throw dev.berth.oci.BerthException.internal("cannot read layer " + diffId + ": " + e.getMessage(), e);
        }
    }

    /** Where a layer recorded by {@link #addLayerLater} reads its tar from when it is unpacked. */
    @FunctionalInterface
    interface LayerSource {
        InputStream open() throws java.io.IOException;
    }

    /** NOT_FOUND when absent; waits for the unpack of a layer recorded by {@link #addLayerLater}. */
    LayerSnapshot layer(Digest chainId);

    /** The layer's parent chain id (null for a base layer) without waiting for an unpack; NOT_FOUND when absent. */
    default Digest parentOf(Digest chainId) {
        return layer(chainId).parentChainId();
    }

    /** The bytes the layer's files take, without waiting for an unpack; NOT_FOUND when absent. */
    default long sizeOf(Digest chainId) {
        return layer(chainId).size();
    }

    /** The directories of the stack ending in {@code topChainId}, top first, for overlay lowerdir=. */
    List<Path> lowerDirs(Digest topChainId);

    /**
     * FAILED_PRECONDITION while another layer has it as parent. A layer still waiting for its
     * unpack is dropped (an unpack under way is abandoned and its work removed).
     */
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
