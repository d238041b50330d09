package dev.berth.image.registry;

import dev.berth.image.archive.LayerIngest;
import dev.berth.image.content.ContentStore;
import dev.berth.image.registry.client.FetchedManifest;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.registry.client.RegistryError;
import dev.berth.image.registry.client.RepositoryClient;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageLease;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One {@code docker pull}, as dockerd does it (distribution/pull_v2.go): the manifest by tag or
 * digest (an index picks the platform's manifest), the config, then the layers the snapshotter
 * lacks, downloaded in parallel (the daemon-wide download slots; dockerd has 3), each verified
 * against its digest while it streams into the content store and scanned on the way (the diff
 * id the config promises, a sane tar: {@link LayerIngest}, the path {@code docker load} takes),
 * resumed with Range after a dropped connection. The layers are then recorded with the
 * snapshotter to be unpacked in the background ({@link Snapshotter#addLayerLater}, again as a
 * load does), so the pull ends when the bytes are verified, and the image is registered with
 * its tag and its repo digest. Nothing is registered unless every layer verified. An
 * {@link ImageLease} held from before the first layer is looked at until the image is recorded
 * keeps a concurrent {@code rmi} or prune from deleting what the image is about to use.
 */
final class RegistryPull {
    /** Configs larger than this are refused (a config is a small JSON document). */
    static final int MAX_CONFIG_BYTES = 16 * 1024 * 1024;
    static final int RESUME_RETRIES = 5;
    static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    private final ImageService images;
    private final RegistryClient client;
    private final Semaphore downloadSlots;

    private final BlobOrigins origins;

    RegistryPull(ImageService images, RegistryClient client, Semaphore downloadSlots, BlobOrigins origins) {
        this.images = images;
        this.client = client;
        this.downloadSlots = downloadSlots;
        this.origins = origins;
    }

    PullResult pull(Reference ref, Platform platform, RegistryCredentials credentials, ProgressSink sink) {
        Reference named = ref.isTagged() || ref.isDigested() ? ref : ref.withDefaultTag();
        PullProgress progress = new PullProgress(sink);
        String wanted = named.digest().map(Digest::toString).orElseGet(() -> named.tag().orElseThrow());
        RepositoryClient repo = client.repository(named, credentials);
        FetchedManifest top;
        try {
            top = fetchManifest(repo, wanted, named);
        } catch (BerthException e) {
            if (!repo.session().endpoint().mirror()) {
                throw e;
            }
            // dockerd falls back from a mirror that lacks the image (or fails) to the registry itself
            repo = client.repositoryWithoutMirrors(named, credentials);
            top = fetchManifest(repo, wanted, named);
        }
        // dockerd says it once the registry has the manifest: a missing tag is an error without it
        progress.send(wanted, "Pulling from " + named.path());
        FetchedManifest manifest = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            ImageIndex index = ImageJson.parseIndex(top.bytes());
            Descriptor chosen = PlatformMatcher.pick(index, platform).orElseThrow(() -> BerthException.notFound(
                    "no matching manifest for " + platform + " in the manifest list entries"));
            manifest = fetchManifest(repo, chosen.digest().toString(), named);
        }
        if (!MediaTypes.isManifest(manifest.mediaType())) {
            throw BerthException.invalid("unsupported manifest media type \"" + manifest.mediaType() + "\" for "
                    + named.familiar());
        }
        ImageManifest m = ImageJson.parseManifest(manifest.bytes());
        if (!MediaTypes.isConfig(m.config().mediaType())) {
            // an artifact (a signature, an SBOM, a Helm chart…), not something to run
            throw BerthException.invalid("Encountered remote \"" + m.config().mediaType() + "\"(unknown) when fetching "
                    + named.familiar() + ": not an image");
        }
        byte[] configBytes = fetchConfig(repo, m.config());
        ImageConfig config = ImageJson.parseConfig(configBytes);
        if (config.diffIds().size() != m.layers().size()) {
            throw BerthException.invalid("invalid manifest, layers length mismatch: expected " + config.diffIds().size()
                    + ", got " + m.layers().size());
        }
        if (!config.os().isEmpty() && !config.os().equals(platform.os())) {
            throw BerthException.invalid("image operating system \"" + config.os() + "\" cannot be used on this platform");
        }
        for (Descriptor layer : m.layers()) {
            if (!MediaTypes.isLayer(layer.mediaType())) {
                throw BerthException.invalid("unsupported layer media type \"" + layer.mediaType() + "\" in " + manifest.digest());
            }
        }

        Digest imageId = Digest.sha256(configBytes);
        Reference tag = named.isTagged() ? named.withoutDigest() : null;
        Reference repoDigest = named.repository().withDigest(top.digest());
        Optional<Digest> before = (tag != null ? images.byReference(tag) : images.byReference(repoDigest)).map(Image::id);
        // the lease keeps a concurrent rmi or prune from deleting the layers and blobs this pull
        // finds present or writes, until the image that uses them is recorded
        try (ImageLease lease = images.lease()) {
            lease.protect(imageId, config.diffIds(), m.layers().stream().map(Descriptor::digest).toList());
            List<Optional<Descriptor>> blobs;
            Optional<Image> existing = lease.hold(imageId);
            if (existing.isPresent()) {
                // dockerd: the config exists, so the image does: no layer is fetched
                blobs = existing.get().layers().stream().map(Image.Layer::blob).toList();
            } else {
                blobs = new LayerDownload(repo, m.layers(), config.diffIds(), progress).run();
            }
            images.add(configBytes, blobs, tag == null ? List.of() : List.of(tag), List.of(repoDigest));
            // where each layer lives, for a later push to find it there or mount it from here (under
            // the lease: a removal of the image meanwhile forgets these records when the lease ends)
            for (int i = 0; i < m.layers().size(); i++) {
                Descriptor d = m.layers().get(i);
                origins.add(config.diffIds().get(i), new BlobOrigins.Origin(d.digest(), d.mediaType(), d.size(),
                        named.repository().name()));
            }
        }
        boolean upToDate = before.isPresent() && before.get().equals(imageId);
        progress.line("Digest: " + top.digest());
        progress.line("Status: " + (upToDate ? "Image is up to date for " : "Downloaded newer image for ") + named.familiar());
        return new PullResult(named, top.digest(), imageId, upToDate);
    }

    private static FetchedManifest fetchManifest(RepositoryClient repo, String tagOrDigest, Reference named) {
        FetchedManifest f;
        try {
            f = repo.getManifest(tagOrDigest);
        } catch (RegistryError e) {
            throw translate(e, named);
        }
        if (f.mediaType().equals(SCHEMA1) || f.mediaType().equals(SCHEMA1_SIGNED) || isSchema1(f.bytes())) {
            // dockerd 28's words; schema 1 is gone from docker since 28.2
            throw BerthException.invalid("Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has"
                    + " been removed. Suggest the author of " + named.familiar() + " to upgrade the image to the OCI Format or"
                    + " Docker Image manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/");
        }
        return f;
    }

    private static boolean isSchema1(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 256), java.nio.charset.StandardCharsets.UTF_8);
        return head.replace(" ", "").contains("\"schemaVersion\":1,") || head.replace(" ", "").contains("\"schemaVersion\":1}");
    }

    /** dockerd's TranslatePullError: which registry errors read as "not found", and in which words. */
    static BerthException translate(RegistryError e, Reference named) {
        if (e.hasCode("MANIFEST_UNKNOWN") || (e.status() == 404 && e.codes().isEmpty())) {
            return new RegistryError(BerthException.Kind.NOT_FOUND, "manifest for " + named.familiar() + " not found: "
                    + e.getMessage(), e.status(), e.codes());
        }
        if (e.hasCode("NAME_UNKNOWN")) {
            return new RegistryError(BerthException.Kind.NOT_FOUND, "repository " + named.familiarName() + " not found: "
                    + e.getMessage(), e.status(), e.codes());
        }
        if (e.hasCode("DENIED")) {
            return new RegistryError(BerthException.Kind.NOT_FOUND, "pull access denied for " + named.familiarName()
                    + ", repository does not exist or may require 'docker login': " + e.getMessage(), e.status(), e.codes());
        }
        return e;
    }

    private byte[] fetchConfig(RepositoryClient repo, Descriptor d) {
        ContentStore content = images.content();
        if (d.size() > MAX_CONFIG_BYTES) {
            throw BerthException.invalid("image config " + d.digest() + " is too large (" + d.size() + " bytes)");
        }
        if (content.contains(d.digest())) {
            return content.read(d.digest());
        }
        byte[] bytes;
        try (InputStream in = repo.openBlobResuming(d.digest(), RESUME_RETRIES)) {
            bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
        } catch (RegistryError e) {
            throw e.prefixed("fetching the image config " + d.digest());
        } catch (IOException e) {
            throw BerthException.internal("fetching the image config " + d.digest() + ": " + e.getMessage(), e);
        }
        Digest actual = Digest.of(d.digest().algorithm(), bytes);
        if (!actual.equals(d.digest()) || bytes.length != d.size()) {
            throw BerthException.invalid("image config verification failed for digest " + d.digest());
        }
        return bytes;
    }

    /**
     * The layers of one pull: "Already exists" for those the snapshotter has, the others
     * downloaded through the shared slots and recorded with the snapshotter in layer order as
     * each completes (a layer's parent must exist before it).
     */
    private final class LayerDownload {
        private final RepositoryClient repo;
        private final List<Descriptor> layers;
        private final List<Digest> diffIds;
        private final PullProgress progress;
        private final List<Digest> chains;
        private final Map<Integer, LayerIngest.Stored> done = new HashMap<>();
        private final List<Optional<Descriptor>> blobs = new ArrayList<>();
        private int recorded;

        LayerDownload(RepositoryClient repo, List<Descriptor> layers, List<Digest> diffIds, PullProgress progress) {
            this.repo = repo;
            this.layers = layers;
            this.diffIds = diffIds;
            this.progress = progress;
            this.chains = ChainId.all(diffIds);
        }

        List<Optional<Descriptor>> run() {
            Snapshotter snapshots = images.snapshotter();
            ContentStore content = images.content();
            List<Integer> toFetch = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Descriptor d = layers.get(i);
                blobs.add(Optional.empty());
                if (snapshots.hasLayer(chains.get(i))) {
                    progress.send(d.digest().shortHex(), "Already exists");
                    blobs.set(i, content.contains(d.digest()) ? Optional.of(d) : Optional.empty());
                } else {
                    progress.send(d.digest().shortHex(), "Pulling fs layer");
                    toFetch.add(i);
                }
            }
            // the same blob twice in one image is fetched once
            Map<Digest, Future<LayerIngest.Stored>> byBlob = new HashMap<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                // the first failure ends the wait (allOf alone would wait for every download)
                CompletableFuture<Void> firstFailureOrAll = new CompletableFuture<>();
                for (int i : toFetch) {
                    Descriptor d = layers.get(i);
                    Future<LayerIngest.Stored> f = byBlob.computeIfAbsent(d.digest(), k -> pool.submit(() -> fetch(d)));
                    CompletableFuture<Void> one = CompletableFuture.runAsync(() -> completed(i, await(f)), pool);
                    one.whenComplete((ok, failure) -> {
                        if (failure != null) {
                            firstFailureOrAll.completeExceptionally(failure);
                        }
                    });
                    all.add(one);
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRun(() -> firstFailureOrAll.complete(null));
                try {
                    firstFailureOrAll.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    throw unwrap(e);
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw BerthException.internal("pull interrupted");
                }
            }
            return blobs;
        }

        private LayerIngest.Stored await(Future<LayerIngest.Stored> f) {
            try {
                return f.get();
            } catch (ExecutionException e) {
                throw unwrap(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BerthException.internal("pull interrupted");
            }
        }

        // Download one blob into the content store (or scan the copy it has), verified.
        private LayerIngest.Stored fetch(Descriptor d) throws IOException, InterruptedException {
            String id = d.digest().shortHex();
            ContentStore content = images.content();
            if (!downloadSlots.tryAcquire()) {
                progress.send(id, "Waiting");
                downloadSlots.acquire();
            }
            try {
                if (content.contains(d.digest())) {
                    // fetched before (an earlier pull that failed later, or another image): scan only
                    try (InputStream in = content.open(d.digest())) {
                        return LayerIngest.scanStored(d.digest(), content.size(d.digest()), in);
                    }
                }
                try (InputStream in = progress.downloading(id, repo.openBlobResuming(d.digest(), RESUME_RETRIES), d.size())) {
                    LayerIngest.Stored stored = LayerIngest.store(content, in, d.digest());
                    progress.send(id, "Verifying Checksum");
                    if (d.size() != stored.size()) {
                        throw BerthException.invalid("filesystem layer verification failed for digest " + d.digest()
                                + ": " + stored.size() + " bytes, the manifest says " + d.size());
                    }
                    progress.send(id, "Download complete");
                    return stored;
                } catch (RegistryError e) {
                    throw e.prefixed("fetching layer " + d.digest());
                } catch (IOException e) {
                    // the download failed for good (resumes exhausted): its message names the blob and the registry
                    throw BerthException.internal(e.getMessage(), e);
                } catch (BerthException e) {
                    if (e.kind() == BerthException.Kind.INVALID_ARGUMENT && e.getMessage().startsWith("digest mismatch")) {
                        throw BerthException.invalid("filesystem layer verification failed for digest " + d.digest());
                    }
                    throw e;
                }
            } finally {
                downloadSlots.release();
            }
        }

        // A layer is in: check it is the layer the config promises, then record every layer
        // whose predecessors are all in, in order.
        private synchronized void completed(int i, LayerIngest.Stored stored) {
            Descriptor d = layers.get(i);
            if (stored.error() != null) {
                throw BerthException.invalid("invalid layer " + d.digest() + ": " + stored.error().getMessage());
            }
            if (!stored.diffId().equals(diffIds.get(i))) {
                throw BerthException.invalid("layer " + d.digest() + ": diff id mismatch: the config says " + diffIds.get(i)
                        + ", the layer is " + stored.diffId());
            }
            done.put(i, stored);
            blobs.set(i, Optional.of(d));
            Snapshotter snapshots = images.snapshotter();
            while (recorded < layers.size()) {
                int next = recorded;
                Digest chain = chains.get(next);
                Digest parent = next == 0 ? null : chains.get(next - 1);
                LayerIngest.Stored s = done.get(next);
                if (s == null && !snapshots.hasLayer(chain)) {
                    break;
                }
                if (s != null) {
                    String id = layers.get(next).digest().shortHex();
                    long size = layers.get(next).size();
                    Digest blob = s.blob();
                    progress.send(id, "Extracting", size, size);
                    snapshots.addLayerLater(chain, parent, diffIds.get(next), s.scan().size(), () -> images.content().open(blob));
                    progress.send(id, "Pull complete");
                }
                recorded++;
            }
        }

        private BerthException unwrap(ExecutionException e) {
            Throwable c = e.getCause();
            while ((c instanceof ExecutionException || c instanceof java.util.concurrent.CompletionException) && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof BerthException b) {
                return b;
            }
            return BerthException.internal("pull: " + c.getMessage(), c);
        }
    }
}
