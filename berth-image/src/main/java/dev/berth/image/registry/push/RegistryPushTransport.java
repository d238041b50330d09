package dev.berth.image.registry.push;

import dev.berth.image.registry.client.RegistrySession;
import dev.berth.image.registry.client.RepositoryClient;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link PushTransport} over the registry client's {@link RepositoryClient}: its session brings
 * the endpoint (https, or http for an insecure registry), the credentials and the token for
 * {@code pull,push} on the repository and {@code pull} on the mount sources. Upload requests are
 * built here, on the session, as the spec's "Pushing blobs" describes them.
 */
public final class RegistryPushTransport implements PushTransport {
    private final RepositoryClient repo;
    private final RegistrySession session;

    public RegistryPushTransport(RepositoryClient repo) {
        this.repo = repo;
        this.session = repo.session();
    }

    @Override
    public String repository() {
        return repo.repository().name();
    }

    @Override
    public Optional<Long> blobSize(Digest digest) {
        var size = repo.headBlob(digest);
        return size.isPresent() ? Optional.of(size.getAsLong()) : Optional.empty();
    }

    @Override
    public Started startUpload(Optional<Mount> mount) {
        String query = mount.map(m -> "?mount=" + enc(m.digest().toString()) + "&from=" + enc(m.fromPath())).orElse("");
        HttpResponse<InputStream> r = session.send(HttpRequest.newBuilder(repo.uri("blobs/uploads/" + query))
                .POST(HttpRequest.BodyPublishers.noBody()));
        int status = r.statusCode();
        if (status == 201 && mount.isPresent()) {
            RegistrySession.drain(r);
            return new Started.Mounted(mount.get().digest());
        }
        expect(r, 202, "POST " + repo.path("blobs/uploads/"));
        return new Started.Session(RegistrySession.location(r));
    }

    @Override
    public void putBlob(URI location, Digest digest, long size, BlobBody body) {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return body.open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), size);
        HttpResponse<InputStream> r = session.send(HttpRequest.newBuilder(withDigest(location, digest))
                .header("Content-Type", "application/octet-stream").PUT(publisher));
        expect(r, 201, "PUT " + digest);
    }

    @Override
    public URI patchBlob(URI location, InputStream data) {
        AtomicBoolean opened = new AtomicBoolean();
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> {
            if (opened.getAndSet(true)) {
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("a streamed blob cannot be sent twice");
                    }
                };
            }
            return data;
        });
        HttpResponse<InputStream> r = session.send(HttpRequest.newBuilder(location)
                .header("Content-Type", "application/octet-stream").method("PATCH", publisher));
        expect(r, 202, "PATCH " + repo.path("blobs/uploads/"));
        return RegistrySession.location(r);
    }

    @Override
    public void finishUpload(URI location, Digest digest) {
        HttpResponse<InputStream> r = session.send(HttpRequest.newBuilder(withDigest(location, digest))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        expect(r, 201, "PUT " + digest);
    }

    @Override
    public void cancelUpload(URI location) {
        try {
            RegistrySession.drain(session.send(HttpRequest.newBuilder(location).DELETE()));
        } catch (BerthException e) {
            // the registry expires the session anyway
        }
    }

    @Override
    public Digest putManifest(String reference, String mediaType, byte[] manifest) {
        return repo.putManifest(reference, mediaType, manifest);
    }

    private static void expect(HttpResponse<InputStream> r, int status, String what) {
        if (r.statusCode() == status || (status == 201 && r.statusCode() / 100 == 2 && r.statusCode() != 202)) {
            RegistrySession.drain(r);
            return;
        }
        throw RegistrySession.error(r).prefixed(what);
    }

    static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
