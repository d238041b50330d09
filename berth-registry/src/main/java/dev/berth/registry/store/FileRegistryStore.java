package dev.berth.registry.store;

import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link RegistryStore} on a local file system, under one root directory:
 * <pre>
 * lock                       held (flock) by the one store that has the root open
 * blobs/&lt;alg&gt;/&lt;hex&gt;        every blob and manifest, content-addressed, shared by all repositories
 * ingest/                    temp files of manifests being stored (swept at open)
 * uploads/&lt;id&gt;/{data,state}  upload sessions ({@link FileBlobUpload})
 * repositories/&lt;name&gt;/...    links, manifests, tags and referrers of one repository ({@link RepositoryFiles})
 * </pre>
 * Blob content is verified before it is renamed under its digest; small files are written whole
 * by temp + rename. Concurrency: blob and link writes run under the read side of one lock whose
 * write side only garbage collection takes, so a collection never sweeps a blob between its
 * rename and its link; tag moves, manifest deletes and referrer records of one repository are
 * serialized by a per-repository lock; each upload session serializes its own calls.
 */
public final class FileRegistryStore implements RegistryStore {
    /** How long a blob pushed but not (yet) named by a manifest survives garbage collection. */
    public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(24);
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path root;
    private final FileLock rootLock;
    private final Path repositoriesRoot;
    private final Path uploadsRoot;
    private final BlobFiles blobs;
    private final Clock clock;
    private final Duration orphanGrace;
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private final Map<RepositoryName, Lock> repoLocks = new ConcurrentHashMap<>();
    private final Map<String, FileBlobUpload> sessions = new ConcurrentHashMap<>();

    private FileRegistryStore(Path root, Clock clock, Duration orphanGrace, FileLock rootLock) {
        this.root = root;
        this.rootLock = rootLock;
        this.orphanGrace = orphanGrace;
        this.repositoriesRoot = root.resolve("repositories");
        this.uploadsRoot = root.resolve("uploads");
        this.clock = clock;
        AtomicFiles.createDirectories(repositoriesRoot);
        AtomicFiles.createDirectories(uploadsRoot);
        this.blobs = new BlobFiles(root);
    }

    /**
     * Opens (creating) the store under {@code root} and removes what a crash left behind: temp
     * files of manifests and tags, and upload sessions that never got their state written.
     * A root is held by one store at a time (a lock file, released by {@link #close}): a
     * second open, in this process or another, is FAILED_PRECONDITION.
     */
    public static FileRegistryStore open(Path root) {
        return open(root, Clock.systemUTC(), DEFAULT_ORPHAN_GRACE);
    }

    /**
     * As {@link #open(Path)}, with the clock that upload activity, expiry and blob links are
     * measured on, and how long garbage collection spares a blob linked to a repository but
     * named by none of its manifests (a push that has sent its layers and not yet its manifest).
     */
    public static FileRegistryStore open(Path root, Clock clock, Duration orphanGrace) {
        Path abs = root.toAbsolutePath();
        AtomicFiles.createDirectories(abs);
        FileLock lock = lockRoot(abs);
        try {
            FileRegistryStore store = new FileRegistryStore(abs, clock, orphanGrace, lock);
            store.recover();
            return store;
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    /**
     * One store per root, across processes too: a second one (say {@code berth registry gc}
     * while {@code berth registry serve} runs) would sweep the first one's temp files and
     * could collect a blob between its upload and its link, which the in-process GC lock
     * prevents only within one store.
     */
    private static FileLock lockRoot(Path root) {
        Path file = root.resolve("lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw inUse(root);
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw inUse(root);
        } catch (BerthException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw BerthException.internal("lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static BerthException inUse(Path root) {
        return BerthException.precondition("registry storage " + root
                + " is in use by another process or store (a running berth registry serve?): stop it first");
    }

    private static void release(FileLock lock) {
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to undo
            }
        }
    }

    public Path root() {
        return root;
    }

    Clock clock() {
        return clock;
    }

    private void recover() {
        blobs.sweepIngest();
        for (RepositoryName repo : repositories()) {
            repository(repo).sweepTempFiles();
        }
        for (String id : sessionIds()) {
            if (!SESSION_ID.matcher(id).matches()) {
                deleteTree(uploadsRoot.resolve(id)); // .new-/.gone- of a session a crash cut short
            } else {
                session(id); // loads it, or removes it when its state is unreadable
            }
        }
    }

    private RepositoryFiles repository(RepositoryName name) {
        return new RepositoryFiles(repositoriesRoot, name);
    }

    // ---- blobs

    @Override
    public Optional<BlobInfo> blob(RepositoryName repo, Digest digest) {
        if (!repository(repo).hasBlob(digest)) {
            return Optional.empty();
        }
        return blobs.size(digest).map(size -> new BlobInfo(digest, size));
    }

    @Override
    public Path blobPath(Digest digest) {
        return blobs.path(digest);
    }

    @Override
    public boolean mount(RepositoryName from, RepositoryName to, Digest digest) {
        return underBlobLock(() -> {
            if (blob(from, digest).isEmpty()) {
                return false;
            }
            repository(to).linkBlob(digest, clock.instant());
            return true;
        });
    }

    @Override
    public void deleteBlob(RepositoryName repo, Digest digest) {
        if (!repository(repo).unlinkBlob(digest)) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " unknown to repository " + repo);
        }
    }

    /** Called by a session whose bytes matched their digest: the data file becomes the blob. */
    void adoptUpload(RepositoryName repo, Path verifiedData, Digest digest) {
        underBlobLock(() -> {
            blobs.adopt(verifiedData, digest);
            repository(repo).linkBlob(digest, clock.instant());
            return null;
        });
    }

    // ---- upload sessions

    @Override
    public BlobUpload startUpload(RepositoryName repo) {
        String id = UUID.randomUUID().toString();
        FileBlobUpload up = FileBlobUpload.create(this, id, repo, uploadsRoot);
        sessions.put(id, up);
        return up;
    }

    @Override
    public BlobUpload upload(RepositoryName repo, String sessionId) {
        FileBlobUpload up = session(sessionId);
        if (up == null || up.ended() || !up.repository().equals(repo)) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                    "upload " + sessionId + " unknown to repository " + repo);
        }
        return up;
    }

    /** The live session with that id, loaded from disk after a restart; null when there is none. */
    private FileBlobUpload session(String id) {
        if (id == null || !SESSION_ID.matcher(id).matches()) {
            return null;
        }
        return sessions.computeIfAbsent(id, k -> FileBlobUpload.load(this, k, uploadsRoot.resolve(k)).orElse(null));
    }

    void forgetUpload(String id) {
        sessions.remove(id);
    }

    @Override
    public int expireUploads(Duration maxIdle) {
        long cutoff = clock.millis() - maxIdle.toMillis();
        int expired = 0;
        for (String id : sessionIds()) {
            FileBlobUpload up = session(id);
            if (up == null || up.updated() >= cutoff) {
                continue;
            }
            synchronized (up) { // waits for a chunk in progress, which then counts as activity
                if (!up.ended() && up.updated() < cutoff) {
                    up.cancel();
                    expired++;
                }
            }
        }
        return expired;
    }

    private List<String> sessionIds() {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(uploadsRoot)) {
            for (Path p : dir) {
                ids.add(p.getFileName().toString()); // with sessions half-made by a crash, swept by recover()
            }
        } catch (IOException e) {
            throw BerthException.internal("list " + uploadsRoot + ": " + e.getMessage(), e);
        }
        return ids;
    }

    // ---- manifests and tags

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repo, String reference) {
        if (reference == null || (reference.indexOf(':') < 0 && !ManifestReference.isTag(reference))) {
            return Optional.empty();
        }
        ManifestReference ref = ManifestReference.parse(reference, ErrorCode.MANIFEST_UNKNOWN);
        RepositoryFiles files = repository(repo);
        Optional<Digest> digest = ref.isTag() ? files.tag(ref.tag()) : ref.asDigest();
        if (digest.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> mediaType = files.manifestMediaType(digest.get());
        if (mediaType.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredManifest(digest.get(), mediaType.get(), blobs.read(digest.get())));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted between the link read and the content read
        }
    }

    @Override
    public PutManifestResult putManifest(RepositoryName repo, String reference, String contentType, byte[] body) {
        ManifestReference ref = ManifestReference.parse(reference, ErrorCode.MANIFEST_INVALID);
        ManifestCheck check = ManifestCheck.read(body, contentType);
        Digest digest = ref.asDigest().map(want -> Digest.of(want.algorithm(), body)).orElseGet(() -> Digest.sha256(body));
        if (!ref.isTag() && !digest.equals(ref.digest())) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "manifest has digest " + digest + ", not " + ref.digest());
        }
        RepositoryFiles files = repository(repo);
        return underBlobLock(() -> {
            requireReferences(files, check);
            blobs.write(digest, body);
            return underRepoLock(repo, () -> {
                files.linkManifest(digest, check.mediaType());
                check.subject().ifPresent(subject -> files.recordReferrer(subject.digest(), referrerOf(digest, body.length, check)));
                if (ref.isTag()) {
                    files.writeTag(ref.tag(), digest);
                }
                return new PutManifestResult(digest, check.subject().map(Descriptor::digest).orElse(null));
            });
        });
    }

    private void requireReferences(RepositoryFiles files, ManifestCheck check) {
        for (Descriptor d : check.blobs()) {
            Optional<BlobInfo> have = blob(files.name, d.digest());
            if (have.isEmpty()) {
                // a foreign layer lives at its URLs, not in registries (docker's Windows base layers)
                if (MediaTypes.isNonDistributable(d.mediaType()) && !d.urls().isEmpty()) {
                    continue;
                }
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "blob " + d.digest() + " unknown to repository " + files.name, d.digest().toString());
            }
            if (have.get().size() != d.size()) {
                throw new RegistryException(ErrorCode.MANIFEST_INVALID,
                        "descriptor of blob " + d.digest() + " says " + d.size() + " bytes, the blob has " + have.get().size());
            }
        }
        for (Descriptor m : check.manifests()) {
            if (!files.hasManifest(m.digest())) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "manifest " + m.digest() + " unknown to repository " + files.name, m.digest().toString());
            }
        }
    }

    // spec.md "Listing Referrers": artifactType from the manifest, else (image manifests) the config's
    private static Descriptor referrerOf(Digest digest, long size, ManifestCheck check) {
        return new Descriptor(check.mediaType(), digest, size, List.of(), check.annotations(), Optional.empty(),
                check.artifactType());
    }

    @Override
    public void deleteManifest(RepositoryName repo, Digest digest) {
        RepositoryFiles files = repository(repo);
        underBlobLock(() -> underRepoLock(repo, () -> {
            Optional<String> mediaType = files.manifestMediaType(digest);
            if (mediaType.isEmpty()) {
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
                        "manifest " + digest + " unknown to repository " + repo);
            }
            for (String tag : files.tags()) {
                if (files.tag(tag).filter(digest::equals).isPresent()) {
                    files.deleteTag(tag);
                }
            }
            // unlinked before its referrer record goes: a crash in between leaves a record that
            // referrers() skips and the next collection removes, never a referrer without record
            files.unlinkManifest(digest);
            subjectOf(digest, mediaType.get()).ifPresent(subject -> files.forgetReferrer(subject, digest));
            return null;
        }));
    }

    private Optional<Digest> subjectOf(Digest manifest, String mediaType) {
        try {
            return ManifestCheck.read(blobs.read(manifest), mediaType).subject().map(Descriptor::digest);
        } catch (NoSuchFileException | RegistryException e) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteTag(RepositoryName repo, String tag) {
        if (!ManifestReference.isTag(tag)) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "invalid tag \"" + tag + "\"");
        }
        underBlobLock(() -> underRepoLock(repo, () -> {
            if (!repository(repo).deleteTag(tag)) {
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "tag " + tag + " unknown to repository " + repo);
            }
            return null;
        }));
    }

    @Override
    public List<String> tags(RepositoryName repo) {
        RepositoryFiles files = repository(repo);
        if (!files.exists()) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo + " not known to registry");
        }
        return files.tags();
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactTypeOrNull) {
        RepositoryFiles files = repository(repo);
        List<Descriptor> out = new ArrayList<>();
        for (Descriptor d : files.referrers(subject)) {
            if (!files.hasManifest(d.digest())) {
                continue; // deleted while we listed
            }
            if (artifactTypeOrNull == null || artifactTypeOrNull.equals(d.artifactType())) {
                out.add(d);
            }
        }
        out.sort(Comparator.comparing(Descriptor::digest));
        return out;
    }

    @Override
    public List<RepositoryName> repositories() {
        List<RepositoryName> out = new ArrayList<>();
        try {
            Files.walkFileTree(repositoriesRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(repositoriesRoot)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (dir.getFileName().toString().startsWith("_")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    String name = repositoriesRoot.relativize(dir).toString().replace('\\', '/');
                    try {
                        RepositoryName repo = RepositoryName.of(name);
                        if (holdsSomething(repository(repo))) {
                            out.add(repo);
                        }
                    } catch (RegistryException e) {
                        return FileVisitResult.SKIP_SUBTREE; // not a repository name: not ours
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw BerthException.internal("list repositories: " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static boolean holdsSomething(RepositoryFiles files) {
        return files.holdsAnything();
    }

    // ---- maintenance

    @Override
    public GcReport collectGarbage(boolean dryRun, boolean deleteUntagged) {
        gcLock.writeLock().lock();
        try {
            return new GarbageCollector(blobs, repositories().stream().map(this::repository).toList(),
                    clock.instant().minus(orphanGrace)).run(dryRun, deleteUntagged);
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        sessions.clear();
        release(rootLock);
    }

    // ---- helpers

    private <T> T underBlobLock(Supplier<T> action) {
        gcLock.readLock().lock();
        try {
            return action.get();
        } finally {
            gcLock.readLock().unlock();
        }
    }

    private <T> T underRepoLock(RepositoryName repo, Supplier<T> action) {
        Lock lock = repoLocks.computeIfAbsent(repo, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Removes a directory and everything in it; absent is fine. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            throw BerthException.internal("remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
