package dev.berth.registry.http;

import dev.berth.oci.image.Digest;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.BlobInfo;
import dev.berth.registry.store.BlobUpload;
import dev.berth.registry.store.RegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Blob uploads (spec.md "Pushing blobs"): {@code POST /v2/<name>/blobs/uploads/} starts a
 * session, pushes a whole blob with {@code ?digest=}, or mounts one with {@code ?mount=&from=};
 * {@code PATCH}, {@code PUT ?digest=}, {@code GET} and {@code DELETE} on the session's URL
 * append a chunk, finish, report and cancel it.
 */
final class UploadRoutes {
    private final RegistryStore store;
    private final ServerLimits limits;

    UploadRoutes(RegistryStore store, ServerLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /** A repository other than {@code repo} that holds the blob and that the caller may pull; a scan of the catalog. */
    private Optional<RepositoryName> holder(RepositoryName repo, Digest digest, Predicate<RepositoryName> mayPull) {
        for (RepositoryName r : store.repositories()) {
            if (!r.equals(repo) && store.blob(r, digest).isPresent() && mayPull.test(r)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** @param mayPull whether the caller may pull from a repository (the mount source needs it) */
    void start(RegistryCall call, RepositoryName repo, Predicate<RepositoryName> mayPull) throws IOException {
        Optional<String> mount = call.query("mount");
        if (mount.isPresent()) {
            Digest digest = References.digest(mount.get());
            Optional<RepositoryName> from = call.query("from").flatMap(UploadRoutes::repositoryOrEmpty);
            if (from.isEmpty() && call.query("from").isEmpty()) {
                // no source named: the spec's automatic content discovery (a MAY), from the
                // first repository holding the blob that the caller may read
                from = holder(repo, digest, mayPull);
            }
            // a source the caller may not read, or one without the blob, gives an ordinary
            // upload (202): a refusal would tell a stranger that the blob exists somewhere
            if (from.isPresent() && !from.get().equals(repo) && mayPull.test(from.get())
                    && store.mount(from.get(), repo, digest)) {
                created(call, repo, digest);
                return;
            }
        }
        Optional<String> monolithic = call.query("digest");
        if (monolithic.isPresent()) {
            Digest digest = References.digest(monolithic.get());
            BlobUpload upload = store.startUpload(repo);
            BlobInfo blob;
            try {
                append(call, upload);
                blob = upload.complete(digest);
            } catch (RuntimeException | IOException e) {
                upload.cancel();
                throw e;
            }
            created(call, repo, blob.digest());
            return;
        }
        call.query("digest-algorithm").ifPresent(UploadRoutes::checkAlgorithm);
        BlobUpload upload = store.startUpload(repo);
        Headers.uploadState(call, upload);
        call.status(202);
    }

    void patch(RegistryCall call, RepositoryName repo, String sessionId) throws IOException {
        BlobUpload upload = session(repo, sessionId);
        append(call, upload);
        Headers.uploadState(call, upload);
        call.status(202);
    }

    void put(RegistryCall call, RepositoryName repo, String sessionId) throws IOException {
        String digestText = call.query("digest").orElseThrow(() ->
                new RegistryException(ErrorCode.DIGEST_INVALID, "the digest query parameter is required to finish an upload"));
        Digest digest = References.digest(digestText);
        BlobUpload upload = session(repo, sessionId);
        if (call.hasBody() || call.header("Content-Range").isPresent()) {
            append(call, upload);
        }
        BlobInfo blob = upload.complete(digest);
        created(call, repo, blob.digest());
    }

    void status(RegistryCall call, RepositoryName repo, String sessionId) throws IOException {
        Headers.uploadState(call, session(repo, sessionId));
        call.status(204);
    }

    void cancel(RegistryCall call, RepositoryName repo, String sessionId) throws IOException {
        session(repo, sessionId).cancel();
        call.status(204);
    }

    /**
     * Appends the request body: at the Content-Range start when there is one (a start other
     * than the session's size is 416, answered with where the session stands), streamed
     * otherwise; never past the blob size limit.
     */
    private void append(RegistryCall call, BlobUpload upload) throws IOException {
        long length = call.contentLength();
        long offset = -1;
        Optional<String> rangeHeader = call.header("Content-Range");
        if (rangeHeader.isPresent()) {
            call.errorHeader("Location", Headers.uploadLocation(upload.repository(), upload.id()));
            call.errorHeader("Range", Headers.uploadRange(upload.size()));
            call.errorHeader(Headers.UPLOAD_UUID, upload.id());
            ChunkRange range = ChunkRange.parse(rangeHeader.get());
            if (range.start() != upload.size()) {
                throw new RegistryException(ErrorCode.RANGE_INVALID, "chunk starts at " + range.start()
                        + " but upload " + upload.id() + " has " + upload.size() + " bytes");
            }
            if (length >= 0 && length != range.length()) {
                throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Range " + rangeHeader.get()
                        + " is " + range.length() + " bytes but Content-Length is " + length);
            }
            offset = range.start();
            length = range.length();
        }
        long max = limits.maxBlobBytes();
        long allowed = max - upload.size();
        if (length > allowed) {
            throw CappedInput.tooLarge(max);
        }
        InputStream raw = new FullReads(call.body());
        try (InputStream body = length >= 0 ? raw : new CappedInput(raw, allowed, max)) {
            upload.append(body, offset, length);
        }
    }

    private BlobUpload session(RepositoryName repo, String sessionId) {
        if (!References.isSessionId(sessionId)) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + sessionId + " unknown to repository " + repo);
        }
        return store.upload(repo, sessionId);
    }

    private static void created(RegistryCall call, RepositoryName repo, Digest digest) throws IOException {
        call.setHeader("Location", Headers.blobLocation(repo, digest));
        call.setHeader(Headers.CONTENT_DIGEST, digest.toString());
        call.status(201);
    }

    private static void checkAlgorithm(String algorithm) {
        if (!algorithm.equals("sha256") && !algorithm.equals("sha512")) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm \"" + algorithm + "\"");
        }
    }

    private static Optional<RepositoryName> repositoryOrEmpty(String name) {
        try {
            return Optional.of(RepositoryName.of(name));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }
}
