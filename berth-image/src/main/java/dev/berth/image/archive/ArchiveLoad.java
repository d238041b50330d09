package dev.berth.image.archive;

import dev.berth.image.io.FileTrees;
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
import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.layer.UnpackResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One {@code docker load}: a single pass over the archive, then the images it names.
 *
 * <p>While the archive streams past, every layer goes into the content store (written and
 * hashed on a second thread) and is unpacked at the same time: straight into its snapshot when
 * the archive has already said where the layer belongs (its manifest and config came first, as
 * in berth's own saves), else into a staging directory of the data root that becomes the
 * snapshot once the manifest has arrived (docker puts {@code manifest.json} last). A snapshotter
 * that cannot adopt staged directories gets those layers from the content store after the pass.
 * Images and tags are registered only once every image of the archive has been checked and
 * unpacked: a bad archive leaves no image and no tag, only unreferenced blobs and snapshots that
 * prune collects.
 */
final class ArchiveLoad {
    private static final int DRAIN_BUFFER = 1 << 20;

    private final ContentStore content;
    private final Snapshotter snapshots;
    private final Platform platform;

    private final Path tempDir;
    private LayerUnpacker unpacker;
    private Path staging;
    private int staged;
    private int smallFilesAtLastTry = -1;
    private LoadPlan earlyPlan;

    ArchiveLoad(ContentStore content, Snapshotter snapshots, Platform platform, Path tempDir) {
        this.content = content;
        this.snapshots = snapshots;
        this.platform = platform;
        this.tempDir = tempDir;
    }

    /** A loaded image ready for the image store: its config bytes, layers and tags. */
    record Verified(PlannedImage image, List<VerifiedLayer> layers) {
    }

    /** A layer whose blob is in the content store and whose snapshot exists. */
    record VerifiedLayer(Digest diffId, Digest chainId, Descriptor blob) {
    }

    /** Reads the archive and makes sure every image in it has its blobs and snapshots; registers nothing. */
    List<Verified> run(InputStream archive) {
        try {
            Scanned scanned = ArchiveScanner.scan(archive, this::store);
            LoadPlan plan = new LoadPlanner(path -> file(scanned, path, true), platform).plan();
            List<Verified> out = new ArrayList<>();
            for (PlannedImage image : plan.images()) {
                out.add(verify(image, scanned));
            }
            return out;
        } finally {
            if (staging != null) {
                deleteQuietly(staging); // layers unpacked ahead that no image took
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        FileTrees.deleteQuietly(dir);
    }

    /**
     * Stores one large entry as it streams past. When the archive has said where the layer goes,
     * it is unpacked into its snapshot in the same pass; when it has not (docker writes
     * manifest.json last) and the snapshotter can adopt directories, a layer-looking entry is
     * unpacked into the staging directory, to become its snapshot once its place is known. The
     * content store gets the bytes from a second thread meanwhile.
     */
    private StoredEntry store(String path, InputStream data, long size, Optional<Digest> promised, Scanned soFar) throws IOException {
        Optional<Target> target = targetOf(path, soFar);
        boolean haveBlob = promised.isPresent() && content.contains(promised.get());
        boolean needSnapshot = target.isPresent() && !snapshots.hasLayer(target.get().chainId());
        boolean speculate = target.isEmpty() && snapshots.canAdoptLayers()
                && (path.endsWith("layer.tar") || promised.isPresent());
        if (haveBlob && !needSnapshot && !speculate) {
            drain(data);
            return new StoredEntry(promised.get(), size, null);
        }
        if (!needSnapshot && !speculate) {
            try (Ingest ingest = content.ingest()) {
                copyToStore(data, ingest.stream());
                return new StoredEntry(ingest.commit(promised.orElse(null)), size, null);
            }
        }
        try (Ingest ingest = haveBlob ? null : content.ingest()) {
            AsyncTeeInputStream tee = ingest == null ? null : new AsyncTeeInputStream(data, ingest.stream());
            InputStream in = tee == null ? data : tee;
            Object staged;
            try {
                if (needSnapshot) {
                    Target t = target.get();
                    try {
                        snapshots.addLayer(t.chainId(), t.parentChainId(), t.diffId(), new UnclosableInputStream(in));
                    } catch (BerthException e) {
                        throw layerError(new PlannedLayer(path, t.diffId(), Optional.empty()), e);
                    }
                    staged = t.chainId();
                } else {
                    staged = stage(in);
                }
                drain(in);
                if (tee != null) {
                    tee.finish();
                }
            } catch (IOException | RuntimeException e) {
                if (tee != null) {
                    tee.abort();
                }
                throw e;
            }
            Digest blob = ingest == null ? promised.get() : ingest.commit(promised.orElse(null));
            return new StoredEntry(blob, size, staged);
        }
    }

    /** A layer unpacked before its place was known: its directory and result, or why it is not a layer. */
    static final class Staged {
        final Path dir;
        final UnpackResult result;
        final BerthException error;
        private boolean adopted;

        Staged(Path dir, UnpackResult result, BerthException error) {
            this.dir = dir;
            this.result = result;
            this.error = error;
        }

        /** True the first time only: a directory becomes one snapshot. */
        synchronized boolean claim() {
            if (adopted) {
                return false;
            }
            adopted = true;
            return true;
        }
    }

    private Staged stage(InputStream in) {
        Path dir = stagingDir().resolve(Integer.toString(staged++));
        if (unpacker == null) {
            unpacker = new LayerUnpacker();
        }
        try {
            return new Staged(dir, unpacker.unpack(new UnclosableInputStream(in), dir), null);
        } catch (BerthException e) {
            deleteQuietly(dir);
            return new Staged(null, null, e);
        }
    }

    private Path stagingDir() {
        if (staging == null) {
            staging = tempDir.resolve("load-" + UUID.randomUUID());
            try {
                Files.createDirectories(staging);
            } catch (IOException e) {
                throw BerthException.internal("cannot create " + staging + ": " + e.getMessage(), e);
            }
        }
        return staging;
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
            earlyPlan = new LoadPlanner(path -> file(soFar, path, false), platform).plan();
        } catch (BerthException e) {
            // not all of it has arrived yet (or it is bad, which the final plan will say)
        }
        return earlyPlan;
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
            Staged staged = entry.staged() instanceof Staged st ? st : null;
            if (staged != null && staged.error != null) {
                throw layerError(layer, staged.error);
            }
            if (staged != null && !staged.result.diffId().equals(layer.diffId())) {
                throw BerthException.invalid("invalid layer \"" + layer.path() + "\": diff id mismatch: config says "
                        + layer.diffId() + ", layer is " + staged.result.diffId());
            }
            if (!snapshots.hasLayer(chain) && staged != null && staged.claim()) {
                snapshots.adoptLayer(chain, parent, staged.result, staged.dir);
            } else if (!snapshots.hasLayer(chain)) {
                try (InputStream in = content.open(entry.blob())) {
                    snapshots.addLayer(chain, parent, layer.diffId(), in);
                } catch (IOException e) {
                    throw BerthException.internal("cannot read blob " + entry.blob() + ": " + e.getMessage(), e);
                } catch (BerthException e) {
                    throw layerError(layer, e);
                }
            } else if (!chain.equals(entry.staged()) && staged == null) {
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
