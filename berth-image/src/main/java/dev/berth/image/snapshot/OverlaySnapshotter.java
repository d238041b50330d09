package dev.berth.image.snapshot;

import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Snapshots for overlayfs under {@code <data-root>/snapshots/}. */
public final class OverlaySnapshotter implements Snapshotter {
    private final Path root;

    /** Opens (creating if needed) the snapshots under {@code dataRoot}; removes half-done work. */
    public OverlaySnapshotter(Path dataRoot) {
        this.root = dataRoot.resolve("snapshots");
    }

    @Override public boolean hasLayer(Digest chainId) { throw new UnsupportedOperationException("not yet"); }
    @Override public LayerSnapshot addLayer(Digest chainId, Digest parent, Digest expectedDiffId, InputStream layer) { throw new UnsupportedOperationException("not yet"); }
    @Override public LayerSnapshot layer(Digest chainId) { throw new UnsupportedOperationException("not yet"); }
    @Override public List<Path> lowerDirs(Digest topChainId) { throw new UnsupportedOperationException("not yet"); }
    @Override public void removeLayer(Digest chainId) { throw new UnsupportedOperationException("not yet"); }
    @Override public Set<Digest> layers() { throw new UnsupportedOperationException("not yet"); }
    @Override public ContainerMount prepare(String key, Digest parent) { throw new UnsupportedOperationException("not yet"); }
    @Override public void remove(String key) { throw new UnsupportedOperationException("not yet"); }
}
