package dev.berth.registry.http;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.BlobInfo;
import dev.berth.registry.store.BlobUpload;
import dev.berth.registry.store.GcReport;
import dev.berth.registry.store.PutManifestResult;
import dev.berth.registry.store.RegistryStore;
import dev.berth.registry.store.StoredManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A small RegistryStore for the HTTP layer's tests, written before the real one landed: blobs are
 * files in a temp directory (the server sends them from files), everything else is in maps under
 * one lock. It follows RegistryStore's javadoc closely enough for the routes to be tested on it.
 */
final class InMemoryRegistryStore implements RegistryStore {
    private final Path dir;
    private final Map<Digest, Long> blobs = new HashMap<>();
    private final Map<RepositoryName, Set<Digest>> links = new HashMap<>();
    private final Map<RepositoryName, Map<Digest, StoredManifest>> manifests = new HashMap<>();
    private final Map<RepositoryName, TreeMap<String, Digest>> tags = new HashMap<>();
    private final Map<String, Upload> uploads = new HashMap<>();

    InMemoryRegistryStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized Optional<BlobInfo> blob(RepositoryName repo, Digest digest) {
        if (!links.getOrDefault(repo, Set.of()).contains(digest)) {
            return Optional.empty();
        }
        return Optional.of(new BlobInfo(digest, blobs.get(digest)));
    }

    @Override
    public Path blobPath(Digest digest) {
        return dir.resolve(digest.algorithm() + "-" + digest.hex());
    }

    @Override
    public synchronized boolean mount(RepositoryName from, RepositoryName to, Digest digest) {
        if (!links.getOrDefault(from, Set.of()).contains(digest)) {
            return false;
        }
        links.computeIfAbsent(to, k -> new HashSet<>()).add(digest);
        return true;
    }

    @Override
    public synchronized void deleteBlob(RepositoryName repo, Digest digest) {
        if (!links.getOrDefault(repo, new HashSet<>()).remove(digest)) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " unknown to " + repo);
        }
    }

    @Override
    public synchronized BlobUpload startUpload(RepositoryName repo) {
        Upload upload = new Upload(UUID.randomUUID().toString(), repo);
        uploads.put(upload.id, upload);
        return upload;
    }

    @Override
    public synchronized BlobUpload upload(RepositoryName repo, String sessionId) {
        Upload upload = uploads.get(sessionId);
        if (upload == null || !upload.repo.equals(repo)) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + sessionId + " unknown");
        }
        return upload;
    }

    @Override
    public synchronized int expireUploads(Duration maxIdle) {
        return 0;
    }

    @Override
    public synchronized Optional<StoredManifest> manifest(RepositoryName repo, String reference) {
        Digest digest = Digest.isDigest(reference) ? Digest.parse(reference) : tags.getOrDefault(repo, new TreeMap<>()).get(reference);
        if (digest == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(manifests.getOrDefault(repo, Map.of()).get(digest));
    }

    @Override
    public synchronized PutManifestResult putManifest(RepositoryName repo, String reference, String contentType, byte[] body) {
        JsonObject root;
        try {
            root = JsonObject.root("manifest", Json.parse(new String(body, StandardCharsets.UTF_8), "manifest"));
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
        String mediaType = root.string("mediaType").orElse(contentType);
        if (root.string("mediaType").isPresent() && !contentType.isEmpty() && !mediaType.equals(contentType)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "mediaType " + mediaType + " is not the Content-Type " + contentType);
        }
        Digest digest;
        if (Digest.isDigest(reference)) {
            Digest wanted = Digest.parse(reference);
            digest = Digest.of(wanted.algorithm(), body);
            if (!digest.equals(wanted)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest digest " + digest + " is not " + wanted);
            }
        } else {
            digest = Digest.sha256(body);
        }
        List<Descriptor> needed = new ArrayList<>();
        try {
            root.object("config").ifPresent(c -> needed.add(ImageJson.descriptor(c)));
            for (JsonObject layer : root.objectList("layers")) {
                needed.add(ImageJson.descriptor(layer));
            }
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
        for (Descriptor d : needed) {
            if (!links.getOrDefault(repo, Set.of()).contains(d.digest())) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "blob " + d.digest() + " unknown");
            }
        }
        for (JsonObject m : root.objectList("manifests")) {
            Digest child = Digest.parse(m.string("digest").orElse(""));
            if (!manifests.getOrDefault(repo, Map.of()).containsKey(child)) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest " + child + " unknown");
            }
        }
        manifests.computeIfAbsent(repo, k -> new HashMap<>()).put(digest, new StoredManifest(digest, mediaType, body.clone()));
        if (!Digest.isDigest(reference)) {
            tags.computeIfAbsent(repo, k -> new TreeMap<>()).put(reference, digest);
        }
        Digest subject = root.object("subject").map(s -> Digest.parse(s.string("digest").orElse(""))).orElse(null);
        return new PutManifestResult(digest, subject);
    }

    @Override
    public synchronized void deleteManifest(RepositoryName repo, Digest digest) {
        if (manifests.getOrDefault(repo, new HashMap<>()).remove(digest) == null) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + digest + " unknown");
        }
        tags.getOrDefault(repo, new TreeMap<>()).values().removeIf(digest::equals);
    }

    @Override
    public synchronized void deleteTag(RepositoryName repo, String tag) {
        if (tags.getOrDefault(repo, new TreeMap<>()).remove(tag) == null) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "tag " + tag + " unknown");
        }
    }

    @Override
    public synchronized List<String> tags(RepositoryName repo) {
        if (!repositories().contains(repo)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo + " unknown");
        }
        return List.copyOf(tags.getOrDefault(repo, new TreeMap<>()).keySet());
    }

    @Override
    public synchronized List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactTypeOrNull) {
        List<Descriptor> out = new ArrayList<>();
        for (StoredManifest m : manifests.getOrDefault(repo, Map.of()).values()) {
            JsonObject root = JsonObject.root("m", Json.parse(new String(m.body(), StandardCharsets.UTF_8)));
            Optional<String> s = root.object("subject").flatMap(o -> o.string("digest"));
            if (s.isEmpty() || !s.get().equals(subject.toString())) {
                continue;
            }
            String artifactType = root.string("artifactType")
                    .or(() -> root.object("config").flatMap(c -> c.string("mediaType"))).orElse("");
            if (artifactTypeOrNull != null && !artifactTypeOrNull.equals(artifactType)) {
                continue;
            }
            out.add(new Descriptor(m.mediaType(), m.digest(), m.body().length, List.of(), root.stringMap("annotations"),
                    Optional.empty(), artifactType));
        }
        return out;
    }

    @Override
    public synchronized List<RepositoryName> repositories() {
        Set<RepositoryName> all = new TreeSet<>();
        links.forEach((k, v) -> { if (!v.isEmpty()) all.add(k); });
        manifests.forEach((k, v) -> { if (!v.isEmpty()) all.add(k); });
        tags.forEach((k, v) -> { if (!v.isEmpty()) all.add(k); });
        return List.copyOf(all);
    }

    @Override
    public GcReport collectGarbage(boolean dryRun, boolean deleteUntagged) {
        return new GcReport(dryRun, List.of(), List.of(), 0);
    }

    @Override
    public void close() {
    }

    private final class Upload implements BlobUpload {
        final String id;
        final RepositoryName repo;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Upload(String id, RepositoryName repo) {
            this.id = id;
            this.repo = repo;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public RepositoryName repository() {
            return repo;
        }

        @Override
        public long size() {
            synchronized (InMemoryRegistryStore.this) {
                return data.size();
            }
        }

        @Override
        public long append(InputStream in, long offset, long length) {
            byte[] chunk;
            try {
                chunk = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (InMemoryRegistryStore.this) {
                if (offset >= 0 && offset != data.size()) {
                    throw new RegistryException(ErrorCode.RANGE_INVALID, "offset " + offset + " is not " + data.size());
                }
                if (length >= 0 && chunk.length != length) {
                    throw new RegistryException(ErrorCode.SIZE_INVALID, "got " + chunk.length + " bytes, not " + length);
                }
                data.writeBytes(chunk);
                return data.size();
            }
        }

        @Override
        public BlobInfo complete(Digest expected) {
            synchronized (InMemoryRegistryStore.this) {
                uploads.remove(id);
                byte[] bytes = data.toByteArray();
                Digest actual = Digest.of(expected.algorithm(), bytes);
                if (!actual.equals(expected)) {
                    throw new RegistryException(ErrorCode.DIGEST_INVALID, "upload is " + actual + ", not " + expected);
                }
                try {
                    Files.write(blobPath(actual), bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                blobs.put(actual, (long) bytes.length);
                links.computeIfAbsent(repo, k -> new HashSet<>()).add(actual);
                return new BlobInfo(actual, bytes.length);
            }
        }

        @Override
        public void cancel() {
            synchronized (InMemoryRegistryStore.this) {
                uploads.remove(id);
            }
        }
    }
}
