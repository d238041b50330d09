package dev.berth.image.registry.push;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link PushTransport} over the JDK's HTTP client, for one repository at one endpoint
 * ({@code http://127.0.0.1:5000}). Authentication is the caller's: {@code authorize} adds what a
 * request needs (an Authorization header) before it is sent.
 */
public final class HttpPushTransport implements PushTransport {
    private final HttpClient client;
    private final URI base;
    private final String repository;
    private final String path;
    private final UnaryOperator<HttpRequest.Builder> authorize;

    /**
     * @param base the registry's endpoint, scheme and authority
     * @param repository the full name ({@code 127.0.0.1:5000/app})
     * @param path the repository's path there ({@code app})
     */
    public HttpPushTransport(HttpClient client, URI base, String repository, String path, UnaryOperator<HttpRequest.Builder> authorize) {
        this.client = client;
        this.base = base;
        this.repository = repository;
        this.path = path;
        this.authorize = authorize;
    }

    @Override
    public String repository() {
        return repository;
    }

    @Override
    public Optional<Long> blobSize(Digest digest) {
        HttpResponse<byte[]> r = send(request(v2("/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, 200, "blob " + digest);
        return Optional.of(r.headers().firstValueAsLong("Content-Length").orElse(0L));
    }

    @Override
    public Started startUpload(Optional<Mount> mount) {
        String query = mount.map(m -> "?mount=" + enc(m.digest().toString()) + "&from=" + enc(m.fromPath())).orElse("");
        HttpResponse<byte[]> r = send(request(v2("/blobs/uploads/" + query)).POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 201 && mount.isPresent()) {
            return new Started.Mounted(mount.get().digest());
        }
        expect(r, 202, "upload");
        return new Started.Session(location(r));
    }

    @Override
    public void putBlob(URI session, Digest digest, long size, InputStream data) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> data), size);
        HttpResponse<byte[]> r = send(request(withDigest(session, digest))
                .header("Content-Type", "application/octet-stream").PUT(body));
        expect(r, 201, "blob " + digest);
    }

    @Override
    public URI patchBlob(URI session, InputStream data) {
        HttpResponse<byte[]> r = send(request(session).header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> data)));
        expect(r, 202, "upload");
        return location(r);
    }

    @Override
    public void finishUpload(URI session, Digest digest) {
        HttpResponse<byte[]> r = send(request(withDigest(session, digest)).PUT(HttpRequest.BodyPublishers.noBody()));
        expect(r, 201, "blob " + digest);
    }

    @Override
    public void cancelUpload(URI session) {
        try {
            send(request(session).DELETE());
        } catch (BerthException e) {
            // the registry expires the session anyway
        }
    }

    @Override
    public Digest putManifest(String reference, String mediaType, byte[] manifest) {
        HttpResponse<byte[]> r = send(request(v2("/manifests/" + reference)).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(r, 201, "manifest " + reference);
        return r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse)
                .orElse(Digest.sha256(manifest));
    }

    private URI v2(String rest) {
        return base.resolve("/v2/" + path + rest);
    }

    private HttpRequest.Builder request(URI uri) {
        return authorize.apply(HttpRequest.newBuilder(uri));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return client.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw BerthException.internal(built.method() + " " + built.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal(built.method() + " " + built.uri() + ": interrupted");
        }
    }

    private URI location(HttpResponse<byte[]> r) {
        String loc = r.headers().firstValue("Location")
                .orElseThrow(() -> BerthException.internal("registry answered " + r.request().method() + " " + r.request().uri()
                        + " without a Location"));
        return r.request().uri().resolve(loc);
    }

    private static URI withDigest(URI session, Digest digest) {
        String s = session.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void expect(HttpResponse<byte[]> r, int status, String what) {
        if (r.statusCode() == status) {
            return;
        }
        String body = new String(r.body(), StandardCharsets.UTF_8).trim();
        String message = what + ": " + r.request().method() + " " + r.uri() + " answered " + r.statusCode()
                + (body.isEmpty() ? "" : ": " + body);
        throw switch (r.statusCode()) {
            case 401 -> new BerthException(BerthException.Kind.UNAUTHORIZED, message);
            case 403 -> BerthException.forbidden(message);
            case 404 -> BerthException.notFound(message);
            case 400, 413, 416 -> BerthException.invalid(message);
            default -> BerthException.internal(message);
        };
    }
}
