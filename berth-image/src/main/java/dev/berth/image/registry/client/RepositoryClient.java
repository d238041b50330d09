package dev.berth.image.registry.client;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The distribution calls on one repository (spec.md "Pulling manifests", "Pulling blobs",
 * "Checking if content exists", "Pushing manifests"), one method each, over an authenticated
 * {@link RegistrySession}. Uploads (POST/PATCH/PUT of blobs, mounts) are built by the push side
 * on {@link #session()} with {@link #path(String)}. Thread safe.
 */
public final class RepositoryClient {
    /** What a pull accepts, in dockerd's order: manifests and indexes, OCI and Docker schema 2. */
    public static final List<String> MANIFEST_ACCEPT = List.of(MediaTypes.DOCKER_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX);
    /** Manifests larger than this are refused unread (dockerd: 4 MiB). */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private final RegistrySession session;
    private final Reference repository;

    RepositoryClient(RegistrySession session, Reference repository) {
        this.session = session;
        this.repository = repository;
    }

    public RegistrySession session() {
        return session;
    }

    /** The repository, without tag or digest ({@code 127.0.0.1:5000/app}). */
    public Reference repository() {
        return repository;
    }

    /** {@code /v2/<name>/<rest>}, e.g. {@code path("blobs/uploads/")}. */
    public String path(String rest) {
        return "/v2/" + repository.path() + "/" + rest;
    }

    public URI uri(String rest) {
        return session.uri(path(rest));
    }

    /** HEAD a blob: its size when the repository has it, empty on 404. */
    public OptionalLong headBlob(Digest digest) {
        HttpResponse<InputStream> r = session.follow(HttpRequest.newBuilder(uri("blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        RegistrySession.drain(r);
        if (r.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (r.statusCode() / 100 != 2) {
            throw ErrorBodies.toError(r.statusCode(), new byte[0]).prefixed("HEAD " + digest);
        }
        return OptionalLong.of(r.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /**
     * GET a blob from {@code offset} on: the body stream, positioned at {@code offset} (a
     * registry that ignores Range is skipped forward), and the total size when known. The caller
     * closes the stream; {@link #openBlobResuming} reconnects by itself.
     */
    public BlobStream openBlob(Digest digest, long offset) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("blobs/" + digest)).GET();
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> r = session.follow(request);
        int status = r.statusCode();
        if (status / 100 != 2) {
            throw RegistrySession.error(r).prefixed("GET " + digest);
        }
        InputStream body = r.body();
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        long total = length < 0 ? -1 : length;
        if (status == 206) {
            total = r.headers().firstValue("Content-Range").map(RepositoryClient::totalOf).orElse(-1L);
        } else if (offset > 0) {
            try {
                body.skipNBytes(offset); // the registry sent it all: 200 instead of 206
            } catch (IOException e) {
                closeQuietly(body);
                throw BerthException.internal("GET " + digest + ": " + e.getMessage(), e);
            }
        }
        return new BlobStream(body, total);
    }

    /** A blob body and the blob's full size (-1 when the registry did not say). */
    public record BlobStream(InputStream body, long size) {
    }

    /**
     * The blob as one stream that survives dropped connections: a read that fails with an I/O
     * error reopens the blob with {@code Range: bytes=<received>-} and goes on, up to
     * {@code maxRetries} times in a row without progress.
     */
    public InputStream openBlobResuming(Digest digest, int maxRetries) {
        return new ResumingBlobStream(this, digest, maxRetries);
    }

    /**
     * GET a manifest by tag or digest with the pull's Accept list. The body's digest is checked
     * against a requested digest and against the registry's Docker-Content-Digest.
     */
    public FetchedManifest getManifest(String tagOrDigest) {
        return getManifest(tagOrDigest, MANIFEST_ACCEPT);
    }

    public FetchedManifest getManifest(String tagOrDigest, List<String> accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("manifests/" + encode(tagOrDigest))).GET();
        for (String type : accept) {
            request.header("Accept", type);
        }
        HttpResponse<InputStream> r = session.follow(request);
        if (r.statusCode() / 100 != 2) {
            throw RegistrySession.error(r);
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw BerthException.internal("GET manifest " + tagOrDigest + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw BerthException.invalid("manifest " + tagOrDigest + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Optional<Digest> requested = Digest.isDigest(tagOrDigest) ? Optional.of(Digest.parse(tagOrDigest)) : Optional.empty();
        String algorithm = requested.map(Digest::algorithm).orElse("sha256");
        Digest actual = Digest.of(algorithm, bytes);
        if (requested.isPresent() && !requested.get().equals(actual)) {
            throw BerthException.invalid("manifest verification failed for digest " + requested.get());
        }
        Optional<String> header = r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest);
        if (header.isPresent()) {
            Digest said = Digest.parse(header.get());
            Digest mine = said.algorithm().equals(algorithm) ? actual : Digest.of(said.algorithm(), bytes);
            if (!said.equals(mine)) {
                throw BerthException.invalid("manifest verification failed for digest " + said);
            }
        }
        String mediaType = mediaType(r.headers().firstValue("Content-Type").orElse(""), bytes);
        return new FetchedManifest(actual, mediaType, bytes);
    }

    /** PUT a manifest under a tag or its digest; the digest the registry stored it as. */
    public Digest putManifest(String tagOrDigest, String mediaType, byte[] bytes) {
        HttpResponse<InputStream> r = session.send(HttpRequest.newBuilder(uri("manifests/" + encode(tagOrDigest)))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (r.statusCode() / 100 != 2) {
            throw RegistrySession.error(r);
        }
        RegistrySession.drain(r);
        return r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse)
                .orElseGet(() -> Digest.sha256(bytes));
    }

    // Content-Type may carry parameters, or be text/plain / application/json from a plain file server.
    static String mediaType(String contentType, byte[] body) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.equals("application/json") || type.equals("text/plain")
                || type.equals("application/octet-stream")) {
            String fromBody = ImageJson.mediaTypeOf(body);
            if (fromBody != null && !fromBody.isEmpty()) {
                return fromBody;
            }
        }
        return type;
    }

    static long totalOf(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0 || contentRange.endsWith("*")) {
            return -1;
        }
        try {
            return Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String encode(String tagOrDigest) {
        return URLEncoder.encode(tagOrDigest, StandardCharsets.UTF_8).replace("%3A", ":");
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already broken
        }
    }
}
