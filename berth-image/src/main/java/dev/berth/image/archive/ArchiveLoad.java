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
import dev.berth.image.layer.LayerScan;
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
 * <p>While the archive streams past, every layer goes into the content store (written and
 * hashed on a second thread) and is scanned at the same time ({@link LayerScan}: its diff id,
 * the size of its files, a whole tar with acceptable names), without writing a file. Once every
 * image of the archive has been checked, its layers are recorded with the snapshotter as
 * pending ({@link Snapshotter#addLayerLater}): they are unpacked from the content store after
 * the load returns, in the background, and whoever needs one first (a container's create)
 * waits for it. Creating thousands of files is the slow part of a load on ext4, and the load
 * does not wait for it. Images and tags are registered only once every image of the archive
 * has been checked: a bad archive leaves no image and no tag, only unreferenced blobs that
 * prune collects.
 */
final class ArchiveLoad {
    private static final int DRAIN_BUFFER = 1 << 20;

    private final ContentStore content;
    private final Snapshotter snapshots;
    private final Platform platform;

    ArchiveLoad(ContentStore content, Snapshotter snapshots, Platform platform) {
        this.content = content;
        this.snapshots = snapshots;
        this.platform = platform;
    }

    /** A loaded image ready for the image store: its config bytes, layers and tags. */
    record Verified(PlannedImage image, List<VerifiedLayer> layers) {
    }

    /** A layer whose blob is in the content store and whose snapshot exists or is pending. */
    record VerifiedLayer(Digest diffId, Digest chainId, Descriptor blob) {
    }

    /** A checked layer of a checked image, to be recorded with the snapshotter once all passed. */
    private record LayerToRecord(Digest chainId, Digest parent, Digest diffId, long size, Digest blob) {
    }

    /** What scanning a large entry as a layer found: the scan's result, or why it is not a layer. */
    private record LayerFacts(LayerScan.Result result, BerthException error) {
    }

    /**
     * Reads the archive, checks every image in it, and records their missing layers with the
     * snapshotter (pending, unpacked later); registers no image.
     */
    List<Verified> run(InputStream archive) {
        Scanned scanned = ArchiveScanner.scan(archive, this::store);
        LoadPlan plan = new LoadPlanner(path -> file(scanned, path, true), platform).plan();
        List<Verified> out = new ArrayList<>();
        List<LayerToRecord> toRecord = new ArrayList<>();
        for (PlannedImage image : plan.images()) {
            out.add(verify(image, scanned, toRecord));
        }
        for (LayerToRecord l : toRecord) {
            snapshots.addLayerLater(l.chainId(), l.parent(), l.diffId(), l.size(), () -> content.open(l.blob()));
        }
        return out;
    }

    /**
     * Stores one large entry as it streams past; one that may be a layer (a {@code layer.tar},
     * or any blob) is scanned on this thread while a second one writes it into the content
     * store. The scan's verdict is kept, and only matters if an image names the entry as a layer.
     */
    private StoredEntry store(String path, InputStream data, long size, Optional<Digest> promised, Scanned soFar) throws IOException {
        boolean haveBlob = promised.isPresent() && content.contains(promised.get());
        boolean mayBeLayer = path.endsWith("layer.tar") || promised.isPresent();
        if (!mayBeLayer) {
            try (Ingest ingest = content.ingest()) {
                copyToStore(data, ingest.stream());
                return new StoredEntry(ingest.commit(promised.orElse(null)), size, null);
            }
        }
        if (haveBlob) {
            LayerFacts facts = scan(data, true);
            drain(data);
            return new StoredEntry(promised.get(), size, facts);
        }
        LayerIngest.Stored stored = LayerIngest.store(content, data, promised.orElse(null));
        return new StoredEntry(stored.blob(), size, new LayerFacts(stored.scan(), stored.error()));
    }

    private static LayerFacts scan(InputStream in, boolean hashPlain) {
        try {
            return new LayerFacts(LayerScan.scan(new UnclosableInputStream(in), hashPlain), null);
        } catch (BerthException e) {
            return new LayerFacts(null, e);
        }
    }

    /** Documents larger than this are not manifests or configs but a way to exhaust memory. */
    private static final long DOCUMENT_LIMIT = 16L << 20;

    /**
     * A document of the archive by name (following links): a small file, or, when {@code large}
     * is allowed, a large one read back from the content store. A name of the form
     * {@code blobs/<alg>/<hex>} must hold content of that digest.
     */
    private Optional<byte[]> file(Scanned scanned, String path, boolean large) {
        Optional<byte[]> bytes = scanned.small(path);
        if (bytes.isEmpty() && large) {
            Optional<StoredEntry> entry = scanned.large(path);
            if (entry.isPresent()) {
                if (entry.get().size() > DOCUMENT_LIMIT) {
                    throw BerthException.invalid("invalid archive: \"" + path + "\" is too large for a manifest or config ("
                            + entry.get().size() + " bytes)");
                }
                bytes = Optional.of(content.read(entry.get().blob()));
            }
        }
        Optional<Digest> promised = ArchivePaths.blobDigest(scanned.resolve(path));
        if (bytes.isPresent() && promised.isPresent()) {
            Digest actual = Digest.of(promised.get().algorithm(), bytes.get());
            if (!actual.equals(promised.get())) {
                throw BerthException.invalid("digest mismatch: want " + promised.get() + ", got " + actual);
            }
        }
        return bytes;
    }

    /**
     * Checks one image's layers against its config (digests, diff ids, a layer that scanned
     * clean) and lists, in {@code toRecord}, those the snapshotter lacks.
     */
    private Verified verify(PlannedImage image, Scanned scanned, List<LayerToRecord> toRecord) {
        List<VerifiedLayer> layers = new ArrayList<>();
        Digest parent = null;
        for (int i = 0; i < image.layers().size(); i++) {
            PlannedLayer layer = image.layers().get(i);
            Digest chain = ChainId.of(parent, layer.diffId());
            StoredEntry entry = entry(layer.path(), scanned);
            if (layer.declared().isPresent() && !layer.declared().get().digest().equals(entry.blob())) {
                throw BerthException.invalid("digest mismatch: want " + layer.declared().get().digest() + ", got " + entry.blob());
            }
            LayerFacts facts = entry.staged() instanceof LayerFacts f ? f : scanBlob(entry.blob());
            if (facts.error() != null) {
                throw layerError(layer, facts.error());
            }
            Digest diffId = facts.result().diffId() != null ? facts.result().diffId() : entry.blob();
            if (!diffId.equals(layer.diffId())) {
                throw BerthException.invalid("invalid layer \"" + layer.path() + "\": diff id mismatch: config says "
                        + layer.diffId() + ", layer is " + diffId);
            }
            if (!snapshots.hasLayer(chain) && toRecord.stream().noneMatch(l -> l.chainId().equals(chain))) {
                toRecord.add(new LayerToRecord(chain, parent, layer.diffId(), facts.result().size(), entry.blob()));
            }
            Descriptor blob = LayerBlobs.describe(content, entry.blob(), layer.diffId(), layer.declared());
            layers.add(new VerifiedLayer(layer.diffId(), chain, blob));
            parent = chain;
        }
        return new Verified(image, layers);
    }

    /** Scans a layer blob from the content store (a small one, kept in memory during the pass). */
    private LayerFacts scanBlob(Digest blob) {
        try (InputStream in = content.open(blob)) {
            return scan(in, false);
        } catch (IOException e) {
            throw BerthException.internal("cannot read blob " + blob + ": " + e.getMessage(), e);
        }
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

    /** Copies an entry into the content store; a failure to write is the store's (INTERNAL), not the archive's. */
    private static void copyToStore(InputStream in, OutputStream store) throws IOException {
        byte[] buffer = new byte[DRAIN_BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            try {
                store.write(buffer, 0, n);
            } catch (IOException e) {
                throw BerthException.internal("writing a blob to the content store: " + e.getMessage(), e);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[DRAIN_BUFFER];
        while (in.read(buffer) >= 0) {
            // the tee (if any) writes what passes
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
