package dev.berth.image.archive.testing;

import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.layer.UnpackResult;
import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.snapshot.LayerSnapshot;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Unpacks each layer with the real {@link LayerUnpacker} into {@code root/<chain hex>}; no overlay, no persistence. */
public final class DirSnapshotter implements Snapshotter {
    private final Path root;
    private final Map<Digest, LayerSnapshot> layers = new ConcurrentHashMap<>();

    public DirSnapshotter(Path root) {
        this.root = root;
    }

    @Override
    public boolean hasLayer(Digest chainId) {
        return layers.containsKey(chainId);
    }

    @Override
    public LayerSnapshot addLayer(Digest chainId, Digest parent, Digest expectedDiffId, InputStream layer) {
        Path dir = root.resolve(chainId.hex());
        UnpackResult r = new LayerUnpacker().unpack(layer, dir);
        if (expectedDiffId != null && !expectedDiffId.equals(r.diffId())) {
            throw BerthException.invalid("diff id mismatch: want " + expectedDiffId + ", got " + r.diffId());
        }
        LayerSnapshot s = new LayerSnapshot(chainId, parent, r.diffId(), r.size(), dir);
        layers.put(chainId, s);
        return s;
    }

    @Override
    public LayerSnapshot layer(Digest chainId) {
        LayerSnapshot s = layers.get(chainId);
        if (s == null) {
            throw BerthException.notFound("snapshot " + chainId + " not found");
        }
        return s;
    }

    @Override
    public List<Path> lowerDirs(Digest topChainId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeLayer(Digest chainId) {
        layers.remove(chainId);
    }

    @Override
    public Set<Digest> layers() {
        return Set.copyOf(layers.keySet());
    }

    @Override
    public ContainerMount prepare(String key, Digest parent) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String key) {
        throw new UnsupportedOperationException();
    }
}
