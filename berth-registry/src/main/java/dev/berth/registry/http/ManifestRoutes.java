package dev.berth.registry.http;

import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.PutManifestResult;
import dev.berth.registry.store.RegistryStore;
import dev.berth.registry.store.StoredManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code /v2/<name>/manifests/<reference>}: GET and HEAD (spec.md "Pulling manifests"), PUT
 * ("Pushing Manifests", with {@code ?tag=} when pushed by digest) and DELETE of a manifest by
 * digest or of a tag ("Content Management").
 *
 * <p>Content negotiation: a manifest is answered as it was pushed, with the media type it was
 * pushed with, whatever the Accept header says. This registry never converts (there is no
 * schema 1 to fall back to), and every client that matters (docker, skopeo, containerd) lists
 * all the types it reads.
 */
final class ManifestRoutes {
    private final RegistryStore store;
    private final ServerLimits limits;

    ManifestRoutes(RegistryStore store, ServerLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    void get(RegistryCall call, RepositoryName repo, String reference) throws IOException {
        checkReadable(reference);
        StoredManifest manifest = store.manifest(repo, reference).orElseThrow(() -> unknown(repo, reference));
        call.setHeader(Headers.CONTENT_DIGEST, manifest.digest().toString());
        call.setHeader("ETag", "\"" + manifest.digest() + "\"");
        call.bytes(200, mediaType(manifest), manifest.body());
    }

    void put(RegistryCall call, RepositoryName repo, String reference) throws IOException {
        boolean byDigest = References.looksLikeDigest(reference);
        if (byDigest) {
            References.digest(reference);
        } else if (!References.isTag(reference)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag \"" + reference + "\"");
        }
        List<String> extraTags = byDigest ? call.queryAll("tag") : List.of();
        for (String tag : extraTags) {
            if (!References.isTag(tag)) {
                throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag \"" + tag + "\"");
            }
        }
        byte[] body = readBody(call);
        String contentType = call.header("Content-Type").map(ManifestRoutes::withoutParameters).orElse("");
        PutManifestResult result = store.putManifest(repo, reference, contentType, body);
        for (String tag : extraTags) {
            store.putManifest(repo, tag, contentType, body);
            call.addHeader("OCI-Tag", tag);
        }
        call.setHeader("Location", Headers.manifestLocation(repo, result.digest()));
        call.setHeader(Headers.CONTENT_DIGEST, result.digest().toString());
        if (result.subjectOrNull() != null) {
            call.setHeader("OCI-Subject", result.subjectOrNull().toString());
        }
        call.status(201);
    }

    void delete(RegistryCall call, RepositoryName repo, String reference) throws IOException {
        checkReadable(reference);
        if (References.looksLikeDigest(reference)) {
            store.deleteManifest(repo, References.digest(reference));
        } else {
            store.deleteTag(repo, reference);
        }
        call.status(202);
    }

    /**
     * A reference that cannot name anything: a malformed digest is DIGEST_INVALID (400), a
     * string that is no tag simply names no manifest (404, as the conformance suite expects
     * for ".INVALID_MANIFEST_NAME").
     */
    private static void checkReadable(String reference) {
        if (References.looksLikeDigest(reference)) {
            References.digest(reference);
        } else if (!References.isTag(reference)) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: \"" + reference + "\" is neither a tag nor a digest");
        }
    }

    private byte[] readBody(RegistryCall call) throws IOException {
        long max = limits.maxManifestBytes();
        if (call.contentLength() > max) {
            throw tooLarge(max);
        }
        byte[] body;
        try (InputStream in = call.body()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw tooLarge(max);
        }
        return body;
    }

    private static RegistryException tooLarge(long max) {
        return new RegistryException(ErrorCode.SIZE_TOO_LARGE, "manifest is larger than the limit of " + max + " bytes");
    }

    private static RegistryException unknown(RepositoryName repo, String reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " unknown to repository " + repo);
    }

    private static String mediaType(StoredManifest manifest) {
        if (manifest.mediaType() != null && !manifest.mediaType().isEmpty()) {
            return manifest.mediaType();
        }
        try {
            return ImageJson.mediaTypeOf(manifest.body());
        } catch (RuntimeException e) {
            return MediaTypes.OCI_MANIFEST;
        }
    }

    /** {@code application/json; charset=utf-8} → {@code application/json}: the spec says ignore parameters. */
    static String withoutParameters(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }
}
