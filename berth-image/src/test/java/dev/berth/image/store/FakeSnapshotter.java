package dev.berth.image.store;

import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.snapshot.LayerSnapshot;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory snapshotter: layers are records with a size; nothing is unpacked. */
final class FakeSnapshotter implements Snapshotter {
    final Map<Digest, LayerSnapshot> layers = new ConcurrentHashMap<>();
    final List<Digest> removed = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Registers a layer as if unpacked, with {@code size} bytes on disk. */
    LayerSnapshot put(Digest chainId, Digest parent, Digest diffId, long size) {
        LayerSnapshot s = new LayerSnapshot(chainId, parent, diffId, size, Path.of("/fake", chainId.hex()));
        layers.put(chainId, s);
        return s;
    }

    @Override
    public boolean hasLayer(Digest chainId) {
        return layers.containsKey(chainId);
    }

    @Override
    public LayerSnapshot addLayer(Digest chainId, Digest parent, Digest expectedDiffId, InputStream layer) {
        try {
            byte[] tar = layer.readAllBytes();
            Digest diffId = Digest.sha256(tar);
            if (expectedDiffId != null && !expectedDiffId.equals(diffId)) {
                throw BerthException.invalid("diff id mismatch");
            }
            return layers.computeIfAbsent(chainId, c -> new LayerSnapshot(c, parent, diffId, tar.length, Path.of("/fake", c.hex())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public LayerSnapshot layer(Digest chainId) {
        LayerSnapshot s = layers.get(chainId);
        if (s == null) {
            throw BerthException.notFound("layer " + chainId + " not found");
        }
        return s;
    }

    @Override
    public List<Path> lowerDirs(Digest topChainId) {
        List<Path> out = new ArrayList<>();
        for (Digest c = topChainId; c != null; c = layer(c).parentChainId()) {
            out.add(layer(c).dir());
        }
        return out;
    }

    @Override
    public void removeLayer(Digest chainId) {
        for (LayerSnapshot s : layers.values()) {
            if (chainId.equals(s.parentChainId())) {
                throw BerthException.precondition("layer " + chainId + " is the parent of " + s.chainId());
            }
        }
        if (layers.remove(chainId) != null) {
            removed.add(chainId);
        }
    }

    @Override
    public Set<Digest> layers() {
        return Set.copyOf(layers.keySet());
    }

    @Override
    public ContainerMount prepare(String key, Digest parentChainIdOrNull) {
        throw BerthException.unsupported("fake snapshotter: no container layers");
    }

    @Override
    public void remove(String key) {
    }
}
