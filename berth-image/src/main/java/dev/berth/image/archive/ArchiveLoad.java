package dev.berth.image.archive;

import dev.berth.image.archive.ArchiveScanner.Scanned;
import dev.berth.image.archive.ArchiveScanner.StoredEntry;
import dev.berth.image.archive.LoadPlan.PlannedImage;
import dev.berth.image.archive.LoadPlan.PlannedLayer;
import dev.berth.image.content.ContentStore;
import dev.berth.image.content.Ingest;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code docker load}: a single pass over the archive, then the images it names.
 *
 * <p>While the archive streams past, every layer goes into the content store, and when the
 * archive has already said where the layer belongs (its manifest and config came first, as in
 * berth's own saves) the same bytes are unpacked into its snapshot at once (a tee). Docker puts
 * {@code manifest.json} last, so for its archives the layers are unpacked from the content store
 * after the pass. Images and tags are registered only once every image of the archive has been
 * checked and unpacked: a bad archive leaves no image and no tag, only unreferenced blobs and
 * snapshots that prune collects.
 */
final class ArchiveLoad {
    private static final int DRAIN_BUFFER = 1 << 20;

    private final ContentStore content;
    private final Snapshotter snapshots;
    private final Platform platform;

    private Scanned scannedForPlan;
    private int smallFilesAtLastTry = -1;
    private LoadPlan earlyPlan;

    ArchiveLoad(ContentStore content, Snapshotter snapshots, Platform platform) {
        this.content = content;
        this.snapshots = snapshots;
        this.platform = platform;
    }

    /** A loaded image ready for the image store: its config bytes, layers and tags. */
    record Verified(PlannedImage image, List<VerifiedLayer> layers) {
    }

    /** A layer whose blob is in the content store and whose snapshot exists. */
    record VerifiedLayer(Digest diffId, Digest chainId, Descriptor blob) {
    }

    /** Reads the archive and makes sure every image in it has its blobs and snapshots; registers nothing. */
    List<Verified> run(InputStream archive) {
        Scanned scanned = ArchiveScanner.scan(archive, this::store);
        LoadPlan plan = new LoadPlanner(scanned::small, platform).plan();
        List<Verified> out = new ArrayList<>();
        for (PlannedImage image : plan.images()) {
            out.add(verify(image, scanned));
        }
        return out;
    }

    /** Stores one large entry as it streams past; unpacks it in the same pass when its place is known. */
    private StoredEntry store(String path, InputStream data, long size, Optional<Digest> promised, Scanned soFar) throws IOException {
        Optional<Target> target = targetOf(path, soFar);
        boolean haveBlob = promised.isPresent() && content.contains(promised.get());
        boolean needSnapshot = target.isPresent() && !snapshots.hasLayer(target.get().chainId());
        if (haveBlob && !needSnapshot) {
            drain(data);
            return new StoredEntry(promised.get(), size, null);
        }
        try (Ingest ingest = haveBlob ? null : content.ingest()) {
            InputStream in = ingest == null ? data : new TeeInputStream(data, ingest.stream());
            Digest unpackedAs = null;
            if (needSnapshot) {
                Target t = target.get();
                try {
                    snapshots.addLayer(t.chainId(), t.parentChainId(), t.diffId(), new UnclosableInputStream(in));
                } catch (BerthException e) {
                    throw layerError(new PlannedLayer(path, t.diffId(), Optional.empty()), e);
                }
                unpackedAs = t.chainId();
            }
            drain(in);
            Digest blob = ingest == null ? promised.get() : ingest.commit(promised.orElse(null));
            return new StoredEntry(blob, size, unpackedAs);
        }
    }

    /** Where in an image stack the entry at {@code path} goes, if the archive has said so already and its parent is there. */
    private Optional<Target> targetOf(String path, Scanned soFar) {
        LoadPlan plan = earlyPlan(soFar);
        if (plan == null) {
            return Optional.empty();
        }
        for (PlannedImage image : plan.images()) {
            Digest parent = null;
            for (PlannedLayer layer : image.layers()) {
                Digest chain = ChainId.of(parent, layer.diffId());
                if (soFar.resolve(layer.path()).equals(path)) {
                    if (parent == null || snapshots.hasLayer(parent)) {
                        return Optional.of(new Target(chain, parent, layer.diffId()));
                    }
                    return Optional.empty();
                }
                parent = chain;
            }
        }
        return Optional.empty();
    }

    private record Target(Digest chainId, Digest parentChainId, Digest diffId) {
    }

    /** The plan as far as the archive has told it, retried whenever more small files arrived. */
    private LoadPlan earlyPlan(Scanned soFar) {
        if (earlyPlan != null) {
            return earlyPlan;
        }
        int small = soFar.smallCount();
        if (small == smallFilesAtLastTry) {
            return null;
        }
        smallFilesAtLastTry = small;
        try {
            earlyPlan = new LoadPlanner(soFar::small, platform).plan();
        } catch (BerthException e) {
            // not all of it has arrived yet (or it is bad, which the final plan will say)
        }
        return earlyPlan;
    }

    /** Checks one image's layers against its config and makes sure each has its blob and snapshot. */
    private Verified verify(PlannedImage image, Scanned scanned) {
        List<VerifiedLayer> layers = new ArrayList<>();
        Digest parent = null;
        for (int i = 0; i < image.layers().size(); i++) {
            PlannedLayer layer = image.layers().get(i);
            Digest chain = ChainId.of(parent, layer.diffId());
            StoredEntry entry = entry(layer.path(), scanned);
            if (layer.declared().isPresent() && !layer.declared().get().digest().equals(entry.blob())) {
                throw BerthException.invalid("digest mismatch: want " + layer.declared().get().digest() + ", got " + entry.blob());
            }
            if (!snapshots.hasLayer(chain)) {
                try (InputStream in = content.open(entry.blob())) {
                    snapshots.addLayer(chain, parent, layer.diffId(), in);
                } catch (IOException e) {
                    throw BerthException.internal("cannot read blob " + entry.blob() + ": " + e.getMessage(), e);
                } catch (BerthException e) {
                    throw layerError(layer, e);
                }
            } else if (!chain.equals(entry.staged())) {
                // the snapshot came from elsewhere: make sure this archive's blob really is that layer
                LayerBlobs.checkDiffId(content, entry.blob(), layer.diffId(), layer.path());
            }
            Descriptor blob = LayerBlobs.describe(content, entry.blob(), layer.diffId(), layer.declared());
            layers.add(new VerifiedLayer(layer.diffId(), chain, blob));
            parent = chain;
        }
        return new Verified(image, layers);
    }

    private static BerthException layerError(PlannedLayer layer, BerthException e) {
        if (e.kind() == BerthException.Kind.INVALID_ARGUMENT && !e.getMessage().contains(layer.path())) {
            return new BerthException(e.kind(), "invalid layer \"" + layer.path() + "\": " + e.getMessage(), e);
        }
        return e;
    }

    /** The stored entry of a layer; a small one (under the in-memory limit) is put into the content store now. */
    private StoredEntry entry(String path, Scanned scanned) {
        Optional<StoredEntry> large = scanned.large(path);
        if (large.isPresent()) {
            return large.get();
        }
        byte[] small = scanned.small(path).orElseThrow(() -> BerthException.invalid(
                "invalid archive: layer \"" + path + "\" is not in the archive"));
        Optional<Digest> promised = ArchivePaths.blobDigest(scanned.resolve(path));
        Digest blob = content.put(small);
        if (promised.isPresent() && !promised.get().equals(blob)) {
            throw BerthException.invalid("digest mismatch: want " + promised.get() + ", got " + blob);
        }
        return new StoredEntry(blob, small.length, null);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[DRAIN_BUFFER];
        while (in.read(buffer) >= 0) {
            // the tee (if any) writes what passes
        }
    }

    /** Copies what is read to a second stream (the content store) as it goes. */
    private static final class TeeInputStream extends FilterInputStream {
        private final OutputStream copy;

        TeeInputStream(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes must still reach the copy
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Keeps a consumer (the unpacker) from closing the archive stream under the scanner. */
    private static final class UnclosableInputStream extends FilterInputStream {
        UnclosableInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the archive goes on after this entry
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
