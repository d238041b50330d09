package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Reference;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transport against Debian's docker-registry: blobs up by a raw POST, then HEAD/GET, manifests PUT/GET. */
class RepositoryClientTest {
    private static DockerRegistryProcess registry;
    private static DockerRegistryProcess authRegistry;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(DockerRegistryProcess.available(), "Debian's docker-registry is not installed (scripts/install-deps.sh)");
        registry = DockerRegistryProcess.start();
        authRegistry = DockerRegistryProcess.start("alice", "s3cret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (authRegistry != null) {
            authRegistry.close();
        }
    }

    private static RegistryClient client() {
        return new RegistryClient(new RegistryOptions(List.of(), List.of(), Path.of("/nonexistent-certs.d")));
    }

    /** POST then PUT ?digest= with the bytes (distribution 2.8 has no monolithic POST). */
    static Digest upload(RepositoryClient repo, byte[] content) {
        Digest d = Digest.sha256(content);
        HttpResponse<InputStream> start = repo.session().send(HttpRequest.newBuilder(repo.uri("blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        RegistrySession.drain(start);
        assertThat(start.statusCode()).isEqualTo(202);
        java.net.URI location = RegistrySession.location(start);
        String sep = location.getRawQuery() == null ? "?" : "&";
        HttpResponse<InputStream> done = repo.session().send(HttpRequest.newBuilder(java.net.URI.create(location + sep + "digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        RegistrySession.drain(done);
        assertThat(done.statusCode()).isEqualTo(201);
        return d;
    }

    @Test
    void blobsAndManifestsRoundTripOverPlainHttp() throws Exception {
        Reference ref = Reference.parse(registry.domain() + "/transport/app:v1");
        RepositoryClient repo = client().repository(ref, RegistryCredentials.anonymous(), List.of("pull", "push"), List.of());
        assertThat(repo.session().endpoint().base().getScheme()).isEqualTo("http"); // https tried, then http
        byte[] layer = new byte[300_000];
        new Random(1).nextBytes(layer);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes();
        Digest layerDigest = upload(repo, layer);
        Digest configDigest = upload(repo, config);

        assertThat(repo.headBlob(layerDigest)).hasValue(layer.length);
        assertThat(repo.headBlob(Digest.sha256(new byte[] {1}))).isEmpty();
        try (InputStream in = repo.openBlob(layerDigest, 0).body()) {
            assertThat(in.readAllBytes()).isEqualTo(layer);
        }
        RepositoryClient.BlobStream tail = repo.openBlob(layerDigest, 1000);
        try (InputStream in = tail.body()) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(layer, 1000, layer.length));
        }
        assertThat(tail.size()).isEqualTo(layer.length);

        byte[] manifest = ImageJson.write(ImageManifest.docker(Descriptor.of(MediaTypes.DOCKER_CONFIG, config),
                List.of(Descriptor.of(MediaTypes.DOCKER_LAYER, layer))));
        Digest pushed = repo.putManifest("v1", MediaTypes.DOCKER_MANIFEST, manifest);
        assertThat(pushed).isEqualTo(Digest.sha256(manifest));

        FetchedManifest byTag = repo.getManifest("v1");
        assertThat(byTag.digest()).isEqualTo(pushed);
        assertThat(byTag.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(byTag.bytes()).isEqualTo(manifest);
        assertThat(repo.getManifest(pushed.toString()).bytes()).isEqualTo(manifest);
        assertThat(configDigest).isEqualTo(Digest.sha256(config));
    }

    @Test
    void aMissingManifestIsNotFoundWithTheRegistrysWords() {
        Reference ref = Reference.parse(registry.domain() + "/transport/none:latest");
        RepositoryClient repo = client().repository(ref, RegistryCredentials.anonymous());
        assertThatThrownBy(() -> repo.getManifest("latest"))
                .isInstanceOfSatisfying(RegistryError.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
                    assertThat(e.codes()).containsExactly("MANIFEST_UNKNOWN");
                    assertThat(e.getMessage()).isEqualTo("manifest unknown: manifest unknown");
                });
    }

    @Test
    void basicAuthCredentialsAreSentAndAWrongPasswordIsRefused() {
        Reference ref = Reference.parse(authRegistry.domain() + "/secure/app:v1");
        RegistryCredentials good = new RegistryCredentials("alice", "s3cret", authRegistry.domain(), "", "");
        RepositoryClient repo = client().repository(ref, good, List.of("pull", "push"), List.of());
        Digest d = upload(repo, "hello".getBytes());
        assertThat(repo.headBlob(d)).hasValue(5);

        RegistryCredentials bad = new RegistryCredentials("alice", "wrong", authRegistry.domain(), "", "");
        RepositoryClient denied = client().repository(ref, bad);
        assertThatThrownBy(() -> denied.getManifest("v1"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED));

        assertThat(client().login(authRegistry.domain(), good).status()).isEqualTo("Login Succeeded");
        assertThatThrownBy(() -> client().login(authRegistry.domain(), bad))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("login attempt to http://" + authRegistry.domain()
                            + "/v2/ failed with status: 401 Unauthorized");
                });
    }

    @Test
    void anUnreachableRegistryNamesTheUrlAsDockerdDoes() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Reference ref = Reference.parse("127.0.0.1:" + port + "/x:1");
        assertThatThrownBy(() -> client().repository(ref, RegistryCredentials.anonymous()))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.INTERNAL);
                    assertThat(e.getMessage()).isEqualTo("Get \"http://127.0.0.1:" + port
                            + "/v2/\": dial tcp 127.0.0.1:" + port + ": connect: connection refused");
                });
    }
}
