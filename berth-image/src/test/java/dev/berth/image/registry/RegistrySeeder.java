package dev.berth.image.registry;

import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.registry.client.RegistrySession;
import dev.berth.image.registry.client.RepositoryClient;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Puts test images into a registry with raw spec calls (POST, PUT ?digest=, PUT manifest). */
public final class RegistrySeeder {
    private final RepositoryClient repo;

    public RegistrySeeder(RegistryClient client, Reference repository, RegistryCredentials credentials) {
        this.repo = client.repository(repository, credentials, List.of("pull", "push"), List.of());
    }

    public Digest blob(byte[] content) {
        Digest d = Digest.sha256(content);
        if (repo.headBlob(d).isPresent()) {
            return d;
        }
        HttpResponse<InputStream> start = repo.session().send(HttpRequest.newBuilder(repo.uri("blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        RegistrySession.drain(start);
        if (start.statusCode() != 202) {
            throw new IllegalStateException("POST upload: " + start.statusCode());
        }
        URI location = RegistrySession.location(start);
        String sep = location.getRawQuery() == null ? "?" : "&";
        HttpResponse<InputStream> done = repo.session().send(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        RegistrySession.drain(done);
        if (done.statusCode() != 201) {
            throw new IllegalStateException("PUT upload: " + done.statusCode());
        }
        return d;
    }

    /** Blobs, then the manifest under {@code tag}. */
    public Digest image(TestImage image, String tag) {
        blob(image.config());
        image.layers().forEach(this::blob);
        return repo.putManifest(tag, image.manifestType(), image.manifest());
    }

    public Digest manifest(String tag, String mediaType, byte[] bytes) {
        return repo.putManifest(tag, mediaType, bytes);
    }
}
