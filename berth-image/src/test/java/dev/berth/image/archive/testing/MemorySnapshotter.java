package dev.berth.image.archive.testing;

import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.snapshot.LayerSnapshot;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * A snapshotter that unpacks nothing: it hashes each layer (gunzipping when needed) and checks
 * the diff id and the parent, as the real one does, so archive logic is tested without root.
 */
public final class MemorySnapshotter implements Snapshotter {
    private final Map<Digest, LayerSnapshot> layers = new ConcurrentHashMap<>();
    public final List<Digest> added = new ArrayList<>();

    @Override
    public boolean hasLayer(Digest chainId) {
        return layers.containsKey(chainId);
    }

    @Override
    public synchronized LayerSnapshot addLayer(Digest chainId, Digest parent, Digest expectedDiffId, InputStream layer) {
        if (parent != null && !layers.containsKey(parent)) {
            throw BerthException.precondition("parent snapshot " + parent + " does not exist");
        }
        MessageDigest sha = Digest.newHasher("sha256");
        long size = 0;
        try {
            BufferedInputStream in = new BufferedInputStream(layer);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            InputStream plain = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
            byte[] buf = new byte[1 << 16];
            for (int n; (n = plain.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw BerthException.invalid("layer: " + e.getMessage());
        }
        Digest diffId = Digest.from("sha256", sha);
        if (expectedDiffId != null && !expectedDiffId.equals(diffId)) {
            throw BerthException.invalid("diff id mismatch: want " + expectedDiffId + ", got " + diffId);
        }
        if (parent == null && !chainId.equals(diffId)) {
            throw new AssertionError("a base layer's chain id is its diff id");
        }
        LayerSnapshot s = new LayerSnapshot(chainId, parent, diffId, size, Path.of("/nonexistent", chainId.hex()));
        layers.putIfAbsent(chainId, s);
        added.add(chainId);
        return layers.get(chainId);
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
