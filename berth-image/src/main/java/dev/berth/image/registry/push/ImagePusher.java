package dev.berth.image.registry.push;

import dev.berth.image.content.ContentStore;
import dev.berth.image.layer.Compression;
import dev.berth.image.registry.BlobOrigins;
import dev.berth.image.registry.ProgressSink;
import dev.berth.image.registry.ProgressSink.Progress;
import dev.berth.image.registry.PushResult;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageLease;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * {@code docker push}, as dockerd 20.10 does it (distribution/push_v2.go), with its progress
 * messages: "The push refers to repository [x]"; per layer, top first, "Preparing", then
 * "Waiting" when more than {@link #CONCURRENT_UPLOADS} layers go at once, then "Layer already
 * exists", "Mounted from y", or "Pushing" (current/total) and "Pushed"; then the config blob and
 * the manifest, and "tag: digest: sha256:… size: N" per tag.
 *
 * <p>A layer goes the cheapest way the registry allows: a blob the target repository has is
 * skipped (asked with HEAD: the local blob's digest, then the digests {@link BlobOrigins}
 * recorded for the layer), a blob another repository of the same registry has is mounted
 * (POST with {@code mount} and {@code from}), and only then uploaded: a blob whose digest is
 * known in one PUT, a blob gzipped on the way by a streamed PATCH closed with its digest.
 */
public final class ImagePusher {
    /** dockerd's max-concurrent-uploads default. */
    public static final int CONCURRENT_UPLOADS = 5;
    /** HEADs per layer before uploading; dockerd tries 1 to 3 by layer size. */
    static final int EXISTENCE_CHECKS = 3;
    /** dockerd's maxUploadAttempts. */
    static final int UPLOAD_ATTEMPTS = 5;
    /** Mount attempts per layer; dockerd tries up to 3 or 4. */
    static final int MOUNT_ATTEMPTS = 3;

    private final ImageService images;
    private final ContentStore content;
    private final LayerPlanner planner;
    private final LayerStreams streams;
    private final BlobOrigins origins;
    private final PushTransports transports;
    private final int concurrency;
    private final java.time.Duration tick;

    /** How many other repositories a push asks to mount from (each is a scope of its token). */
    static final int MOUNT_SOURCES = 10;

    /**
     * @param transports opens the transport for a repository ({@code 127.0.0.1:5000/app}), authenticated for push
     * @param concurrency layers uploaded at once
     */
    public ImagePusher(ImageService images, BlobOrigins origins, PushTransports transports, int concurrency) {
        this(images, origins, transports, concurrency, java.time.Duration.ofSeconds(1));
    }

    /** @param tick one second of the retry countdown (tests shorten it) */
    ImagePusher(ImageService images, BlobOrigins origins, PushTransports transports, int concurrency, java.time.Duration tick) {
        this.tick = tick;
        if (concurrency < 1) {
            throw BerthException.invalid("concurrent uploads must be at least 1, got " + concurrency);
        }
        this.images = images;
        this.content = images.content();
        this.planner = new LayerPlanner(images.content(), images.snapshotter(), origins);
        this.streams = new LayerStreams(images.content(), images.snapshotter());
        this.origins = origins;
        this.transports = transports;
        this.concurrency = concurrency;
    }

    /**
     * Pushes {@code ref}'s tag, or every tag of its repository (in name order) when it has none;
     * returns the last tag pushed.
     *
     * @throws BerthException NOT_FOUND "An image does not exist locally with the tag: x" (no
     *     tag of the repository at all) or "tag does not exist: x:1"; INVALID_ARGUMENT for a digest
     */
    public PushResult push(Reference ref, ProgressSink progress) {
        Reference repo = ref.repository();
        if (ref.isDigested()) {
            throw BerthException.invalid("cannot push a digest reference");
        }
        progress.send(Progress.line("The push refers to repository [" + repo.name() + "]"));
        Map<Reference, Image> tags = tagsOf(repo);
        if (tags.isEmpty()) {
            throw BerthException.notFound("An image does not exist locally with the tag: " + repo.familiarName());
        }
        if (ref.isTagged()) {
            Image image = tags.get(ref);
            if (image == null) {
                throw BerthException.notFound("tag does not exist: " + ref.familiar());
            }
            tags = Map.of(ref, image);
        }
        // the lease keeps an rmi or prune meanwhile from deleting the blobs and snapshots being
        // read: the push completes with the image as it was, and the removal's deletions wait for
        // the lease's end
        try (ImageLease lease = images.lease()) {
            Map<Reference, Image> held = new LinkedHashMap<>();
            for (Map.Entry<Reference, Image> e : tags.entrySet()) {
                Image image = lease.hold(e.getValue().id()).orElseThrow(
                        () -> BerthException.notFound("tag does not exist: " + e.getKey().familiar()));
                held.put(e.getKey(), image);
            }
            PushTransport transport = transports.open(repo, mountSources(repo, held.values()));
            Map<Digest, Descriptor> pushed = new ConcurrentHashMap<>();
            PushResult last = null;
            for (Map.Entry<Reference, Image> e : held.entrySet()) {
                last = pushTag(transport, e.getKey(), e.getValue(), pushed, progress);
            }
            return last;
        }
    }

    /** Other repositories of the target's registry that hold layers of the images, newest records first. */
    private List<String> mountSources(Reference repo, Iterable<Image> pushed) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (Image image : pushed) {
            for (Image.Layer l : image.layers()) {
                for (BlobOrigins.Origin o : origins.of(l.diffId()).reversed()) {
                    if (o.domain().equals(repo.domain()) && !o.repository().equals(repo.name()) && out.size() < MOUNT_SOURCES) {
                        out.add(o.path());
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The repository's tags and their images, sorted by tag as dockerd's reference store lists them. */
    private Map<Reference, Image> tagsOf(Reference repo) {
        List<Map.Entry<Reference, Image>> found = new ArrayList<>();
        for (Image image : images.list(Map.of())) {
            for (Reference t : image.repoTags()) {
                if (t.name().equals(repo.name())) {
                    found.add(Map.entry(t, image));
                }
            }
        }
        found.sort(Comparator.comparing(e -> e.getKey().toString()));
        Map<Reference, Image> out = new LinkedHashMap<>();
        found.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private PushResult pushTag(PushTransport transport, Reference tag, Image image, Map<Digest, Descriptor> pushed,
            ProgressSink progress) {
        List<PushLayer> layers = planner.plan(image);
        ManifestFormat format = layers.stream().anyMatch(l -> l.content() instanceof PushLayer.AsStored s
                && s.compression() == Compression.ZSTD) ? ManifestFormat.OCI : ManifestFormat.DOCKER;
        List<Descriptor> blobs = pushLayers(transport, layers, pushed, progress);
        List<Descriptor> manifestLayers = new ArrayList<>(blobs.size());
        for (Descriptor d : blobs) {
            manifestLayers.add(Descriptor.of(format.layerType(ManifestFormat.compressionOf(d.mediaType())), d.digest(), d.size()));
        }
        Descriptor config = pushConfig(transport, image, format);
        ImageManifest manifest = format == ManifestFormat.DOCKER
                ? ImageManifest.docker(config, manifestLayers) : ImageManifest.oci(config, manifestLayers);
        byte[] bytes = ImageJson.write(manifest);
        Digest digest = transport.putManifest(tag.tag().orElseThrow(), format.manifestType(), bytes);
        progress.send(Progress.line(tag.tag().orElseThrow() + ": digest: " + digest + " size: " + bytes.length));
        return new PushResult(tag, digest, bytes.length);
    }

    /** Every layer's blob in the registry, bottom first; up to {@code concurrency} at once, top first as dockerd. */
    private List<Descriptor> pushLayers(PushTransport transport, List<PushLayer> layers, Map<Digest, Descriptor> pushed,
            ProgressSink progress) {
        Set<Digest> prepared = new HashSet<>();
        for (PushLayer l : layers.reversed()) {
            if (prepared.add(l.diffId())) {
                progress.send(Progress.of(l.progressId(), "Preparing"));
            }
        }
        // as dockerd's transfer manager: the first layers (top first) start at once, the others
        // are told "Waiting" at once and start in order as slots free up
        Semaphore slots = new Semaphore(concurrency, true);
        Map<Digest, Future<Descriptor>> tasks = new LinkedHashMap<>();
        List<PushLayer> uploads = new ArrayList<>();
        for (PushLayer l : layers.reversed()) {
            if (tasks.containsKey(l.diffId())) {
                continue;
            }
            Descriptor done = pushed.get(l.diffId());
            if (done != null) {
                progress.send(Progress.of(l.progressId(), "Layer already exists"));
                tasks.put(l.diffId(), java.util.concurrent.CompletableFuture.completedFuture(done));
            } else {
                tasks.put(l.diffId(), null);
                uploads.add(l);
            }
        }
        for (PushLayer l : uploads.subList(Math.min(concurrency, uploads.size()), uploads.size())) {
            progress.send(Progress.of(l.progressId(), "Waiting"));
        }
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PushLayer l : uploads) {
                acquire(slots); // taken here, in order, so that the slots go top layer first
                if (failed.get()) {
                    slots.release();
                    break; // a layer failed: start no more, the wait below throws its error
                }
                tasks.put(l.diffId(), pool.submit(() -> {
                    try {
                        Descriptor d = pushLayerRetrying(transport, l, progress);
                        pushed.put(l.diffId(), d);
                        return d;
                    } catch (Exception | Error e) {
                        failed.set(true); // before the slot is released: the loop above must see it
                        throw e;
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<Future<Descriptor>> started = tasks.values().stream().filter(java.util.Objects::nonNull).toList();
            if (failed.get()) {
                // some layers never started: wait for the failed one (its task released its slot
                // before its future completed, so it may still be running) and throw its failure
                for (Future<Descriptor> f : started) {
                    await(f, started);
                }
            }
            List<Descriptor> out = new ArrayList<>(layers.size());
            for (PushLayer l : layers) {
                out.add(await(tasks.get(l.diffId()), started));
            }
            return out;
        }
    }

    private static void acquire(Semaphore slots) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("push interrupted");
        }
    }

    /** The task's result; on its failure the other tasks are cancelled and the failure thrown. */
    private static Descriptor await(Future<Descriptor> task, Iterable<Future<Descriptor>> all) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw BerthException.internal("push interrupted");
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof BerthException b) {
                throw b;
            }
            throw BerthException.internal(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    /**
     * {@link #pushLayer}, tried again after a failure that may pass (the registry unreachable or
     * answering 5xx; never a refusal of credentials, rights or content) as dockerd does: up to
     * {@link #UPLOAD_ATTEMPTS} attempts, after 5, 10, 15… seconds counted down as
     * "Retrying in N seconds".
     */
    private Descriptor pushLayerRetrying(PushTransport transport, PushLayer layer, ProgressSink progress) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return pushLayer(transport, layer, progress);
            } catch (BerthException e) {
                if (e.kind() != BerthException.Kind.INTERNAL || attempt == UPLOAD_ATTEMPTS || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                for (int left = attempt * 5; left > 0; left--) {
                    progress.send(Progress.of(layer.progressId(), "Retrying in " + left + " second" + (left == 1 ? "" : "s")));
                    Thread.sleep(tick);
                }
            }
        }
    }

    /** One layer: already there, mounted, or uploaded; the descriptor carries the sent compression's media type. */
    private Descriptor pushLayer(PushTransport transport, PushLayer layer, ProgressSink progress) throws IOException {
        String repository = transport.repository();
        // newest first; a zstd blob only stands for a layer kept as zstd: the Docker manifest of
        // a gzip or plain layer cannot name it
        boolean zstd = layer.content() instanceof PushLayer.AsStored s && s.compression() == Compression.ZSTD;
        List<BlobOrigins.Origin> known = origins.of(layer.diffId()).reversed().stream()
                .filter(o -> zstd || ManifestFormat.compressionOf(o.mediaType()) != Compression.ZSTD).toList();
        Optional<Descriptor> existing = existing(transport, layer, known);
        if (existing.isPresent()) {
            progress.send(Progress.of(layer.progressId(), "Layer already exists"));
            remember(layer, existing.get(), repository);
            return existing.get();
        }
        URI session = null;
        int mounts = 0;
        Set<String> tried = new HashSet<>();
        for (BlobOrigins.Origin o : known) {
            if (mounts == MOUNT_ATTEMPTS) {
                break;
            }
            if (o.repository().equals(repository) || !o.domain().equals(domainOf(repository))
                    || !tried.add(o.repository() + "@" + o.blob())) {
                continue;
            }
            mounts++;
            PushTransport.Started started;
            try {
                started = transport.startUpload(Optional.of(new PushTransport.Mount(o.blob(), o.path())));
            } catch (BerthException e) {
                if (e.kind() == BerthException.Kind.UNAUTHORIZED || e.kind() == BerthException.Kind.FORBIDDEN) {
                    continue; // no pull right on the source: upload instead, as dockerd does
                }
                throw e;
            }
            switch (started) {
                case PushTransport.Started.Mounted m -> {
                    if (session != null) {
                        transport.cancelUpload(session);
                    }
                    progress.send(Progress.of(layer.progressId(), "Mounted from " + o.path()));
                    Descriptor d = Descriptor.of(o.mediaType(), o.blob(), o.size());
                    remember(layer, d, repository);
                    return d;
                }
                case PushTransport.Started.Session s -> {
                    if (session != null) {
                        transport.cancelUpload(session);
                    }
                    session = s.location();
                }
            }
        }
        if (session == null) {
            session = switch (transport.startUpload(Optional.empty())) {
                case PushTransport.Started.Session s -> s.location();
                case PushTransport.Started.Mounted m -> throw BerthException.internal("registry mounted a blob it was not asked to");
            };
        }
        Descriptor d;
        try {
            d = upload(transport, session, layer, progress);
        } catch (RuntimeException | IOException e) {
            transport.cancelUpload(session);
            throw e;
        }
        progress.send(Progress.of(layer.progressId(), "Pushed"));
        remember(layer, d, repository);
        return d;
    }

    /** HEADs the local blob's digest and the recorded ones (this repository's first) in the target repository. */
    private Optional<Descriptor> existing(PushTransport transport, PushLayer layer, List<BlobOrigins.Origin> known) {
        Map<Digest, String> candidates = new LinkedHashMap<>();
        if (layer.content() instanceof PushLayer.AsStored s) {
            candidates.put(s.blob().digest(), ManifestFormat.OCI.layerType(s.compression()));
        }
        for (boolean here : new boolean[] {true, false}) {
            for (BlobOrigins.Origin o : known) {
                if (o.repository().equals(transport.repository()) == here) {
                    candidates.putIfAbsent(o.blob(), o.mediaType());
                }
            }
        }
        int checks = 0;
        for (Map.Entry<Digest, String> c : candidates.entrySet()) {
            if (checks++ == EXISTENCE_CHECKS) {
                break;
            }
            Optional<Long> size = transport.blobSize(c.getKey());
            if (size.isPresent()) {
                return Optional.of(Descriptor.of(c.getValue(), c.getKey(), size.get()));
            }
            for (BlobOrigins.Origin o : known) {
                if (o.blob().equals(c.getKey()) && o.repository().equals(transport.repository())) {
                    origins.forget(layer.diffId(), o.blob(), o.repository());
                }
            }
        }
        return Optional.empty();
    }

    private Descriptor upload(PushTransport transport, URI session, PushLayer layer, ProgressSink progress) throws IOException {
        String id = layer.progressId();
        if (layer.content() instanceof PushLayer.AsStored s) {
            Digest blob = s.blob().digest();
            transport.putBlob(session, blob, s.blob().size(), () -> new PushingProgress(content.open(blob), progress, id, layer.size()));
            return Descriptor.of(ManifestFormat.OCI.layerType(s.compression()), s.blob().digest(), s.blob().size());
        }
        LayerStreams.PlainTar plain = streams.open(layer);
        MessageDigest sha256 = Digest.newHasher("sha256");
        long sent;
        URI next;
        try (GzippingInputStream gzip = new GzippingInputStream(new PushingProgress(plain.stream(), progress, id, layer.size()));
                CountingDigest body = new CountingDigest(gzip, sha256)) {
            next = transport.patchBlob(session, body);
            if (!gzip.isComplete()) {
                throw BerthException.internal("registry stopped reading layer " + layer.diffId() + " before its end");
            }
            sent = body.count;
        }
        plain.verifier().verify();
        Digest digest = Digest.from("sha256", sha256);
        transport.finishUpload(next, digest);
        return Descriptor.of(ManifestFormat.OCI.layerType(Compression.GZIP), digest, sent);
    }

    /** The image config as a blob, uploaded unless the repository has it. */
    private Descriptor pushConfig(PushTransport transport, Image image, ManifestFormat format) {
        byte[] config = content.read(image.id());
        Descriptor d = Descriptor.of(format.configType(), image.id(), config.length);
        if (transport.blobSize(image.id()).isEmpty()) {
            URI session = switch (transport.startUpload(Optional.empty())) {
                case PushTransport.Started.Session s -> s.location();
                case PushTransport.Started.Mounted m -> throw BerthException.internal("registry mounted a blob it was not asked to");
            };
            transport.putBlob(session, image.id(), config.length, () -> new ByteArrayInputStream(config));
        }
        return d;
    }

    private void remember(PushLayer layer, Descriptor blob, String repository) {
        origins.add(layer.diffId(), new BlobOrigins.Origin(blob.digest(), blob.mediaType(), blob.size(), repository));
    }

    private static String domainOf(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }

    /** Hashes and counts what the upload reads. */
    private static final class CountingDigest extends DigestInputStream {
        long count;

        CountingDigest(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
