package dev.berth.registry.store;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.registry.RepositoryName;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the distribution endpoints need from storage. Blobs are content-addressed and shared by
 * every repository, but a repository sees only the blobs linked to it (pushed there, mounted
 * there, or reached through a manifest pushed there), as the spec's per-repository endpoints
 * require. Every method is safe to call from many request threads at once; nothing half-written
 * is ever visible (temp file, verify, rename). Refusals are
 * {@link dev.berth.registry.RegistryException}s with the spec's codes.
 */
public interface RegistryStore extends Closeable {

    // ---- blobs

    /** A blob linked to {@code repo}; empty when the repository does not have it. */
    Optional<BlobInfo> blob(RepositoryName repo, Digest digest);

    /**
     * The file holding a blob that {@link #blob} found, for zero-copy and ranged sends. The file
     * is never written again, only removed by garbage collection.
     */
    Path blobPath(Digest digest);

    /**
     * Links a blob that {@code from} has into {@code to} (cross-repository mount); false when
     * {@code from} does not have it, and the caller then opens an ordinary upload.
     */
    boolean mount(RepositoryName from, RepositoryName to, Digest digest);

    /**
     * Unlinks a blob from the repository; the content goes at the next garbage collection when
     * nothing else holds it. BLOB_UNKNOWN when the repository does not have it.
     */
    void deleteBlob(RepositoryName repo, Digest digest);

    // ---- upload sessions

    /** Opens an upload session in {@code repo} (the repository comes into being with its first blob). */
    BlobUpload startUpload(RepositoryName repo);

    /**
     * An open session. BLOB_UPLOAD_UNKNOWN when there is none with that id in {@code repo}:
     * finished, cancelled, expired, another repository's, or never made.
     */
    BlobUpload upload(RepositoryName repo, String sessionId);

    /** Removes sessions untouched for longer than {@code maxIdle} with their data; returns how many. */
    int expireUploads(Duration maxIdle);

    // ---- manifests and tags

    /** A manifest by tag or digest ({@code reference}); empty when the repository has none. */
    Optional<StoredManifest> manifest(RepositoryName repo, String reference);

    /**
     * Stores a manifest under a tag or a digest. Checks, in order: the body parses and its
     * mediaType (when present) agrees with {@code contentType} (MANIFEST_INVALID); a digest
     * reference matches the body, in that digest's algorithm (DIGEST_INVALID); every blob it
     * names (config, layers) is linked in the repository and every manifest an index names is
     * in the repository (MANIFEST_BLOB_UNKNOWN; the subject may be absent, as the spec allows).
     * A tag reference moves the tag. A manifest with a subject is recorded for the referrers API.
     */
    PutManifestResult putManifest(RepositoryName repo, String reference, String contentType, byte[] body);

    /** Deletes a manifest and every tag pointing at it. MANIFEST_UNKNOWN when absent. */
    void deleteManifest(RepositoryName repo, Digest digest);

    /** Deletes a tag only, keeping the manifest. MANIFEST_UNKNOWN when there is no such tag. */
    void deleteTag(RepositoryName repo, String tag);

    /** The repository's tags in lexical order; NAME_UNKNOWN when the repository does not exist. */
    List<String> tags(RepositoryName repo);

    /**
     * Descriptors of the manifests in {@code repo} whose subject is {@code subject}: mediaType,
     * digest, size, artifactType (the manifest's artifactType, else its config's mediaType) and
     * annotations; only those with that artifactType when the filter is not null. An unknown
     * subject gives an empty list, not an error.
     */
    List<Descriptor> referrers(RepositoryName repo, Digest subject, String artifactTypeOrNull);

    /** Every repository holding at least one blob link, manifest or tag, in lexical order. */
    List<RepositoryName> repositories();

    // ---- maintenance

    /**
     * Mark and sweep: marks every manifest still in some repository and everything it names,
     * plus blobs linked to some repository recently (a push that has not sent its manifest
     * yet); sweeps the other blob files. A link that no manifest of its repository names may
     * be dropped once older than the implementation's grace period, so that deleting an
     * image frees its layers. Untagged manifests (those no tag reaches, directly, through an
     * index, or as a referrer of a reached manifest) are removed first when
     * {@code deleteUntagged}. With {@code dryRun} nothing is removed and the report says what
     * would be.
     */
    GcReport collectGarbage(boolean dryRun, boolean deleteUntagged);
}
