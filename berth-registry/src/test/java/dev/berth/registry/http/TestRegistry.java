package dev.berth.registry.http;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.registry.auth.RegistryAuth;
import dev.berth.registry.store.RegistryStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A registry server on 127.0.0.1:0 over a given store, and a small raw HTTP client for it. */
final class TestRegistry implements AutoCloseable {
    final RegistryServer server;
    final RegistryStore store;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    TestRegistry(RegistryStore store, RegistryAuth auth, ServerLimits limits) {
        this.store = store;
        this.server = new RegistryServer("127.0.0.1", 0, null, new RegistryHandler(store, auth, limits)).start();
    }

    TestRegistry(RegistryStore store) {
        this(store, RegistryAuth.open(), ServerLimits.defaults());
    }

    String url(String path) {
        return server.baseUrl() + path;
    }

    /** Sends a request; {@code headers} alternate name, value. */
    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return send(b.build());
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    /** Pushes a blob with one POST ?digest= and returns its digest. */
    Digest pushBlob(String repo, byte[] content) {
        return pushBlob(repo, content, null);
    }

    Digest pushBlob(String repo, byte[] content, String authorizationOrNull) {
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> r = authorizationOrNull == null
                ? send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content, "Content-Type", "application/octet-stream")
                : send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content, "Content-Type", "application/octet-stream",
                        "Authorization", authorizationOrNull);
        if (r.statusCode() != 201) {
            throw new AssertionError("blob push: " + r.statusCode() + " " + text(r));
        }
        return digest;
    }

    /** Pushes a config and one layer, then an OCI manifest naming them under {@code reference}. */
    Pushed pushImage(String repo, String reference) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = randomBytes(1000);
        Digest configDigest = pushBlob(repo, config);
        Digest layerDigest = pushBlob(repo, layer);
        byte[] manifest = manifest(Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.length)), null, null, Map.of());
        HttpResponse<byte[]> r = send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest,
                "Content-Type", MediaTypes.OCI_MANIFEST);
        if (r.statusCode() != 201) {
            throw new AssertionError("manifest push: " + r.statusCode() + " " + text(r));
        }
        return new Pushed(Digest.sha256(manifest), manifest, configDigest, layerDigest);
    }

    record Pushed(Digest digest, byte[] manifest, Digest config, Digest layer) {}

    /** An OCI image manifest's bytes; subject and artifactType may be null. */
    static byte[] manifest(Descriptor config, List<Descriptor> layers, Descriptor subject, String artifactType,
            Map<String, String> annotations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2L);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        m.put("config", dev.berth.oci.image.ImageJson.descriptorTree(config));
        List<Object> ls = new ArrayList<>();
        layers.forEach(l -> ls.add(dev.berth.oci.image.ImageJson.descriptorTree(l)));
        m.put("layers", ls);
        if (subject != null) {
            m.put("subject", dev.berth.oci.image.ImageJson.descriptorTree(subject));
        }
        if (!annotations.isEmpty()) {
            m.put("annotations", annotations);
        }
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonObject json(HttpResponse<byte[]> r) {
        return JsonObject.root("response", Json.parse(text(r)));
    }

    /** The first error code of a spec error body. */
    static String errorCode(HttpResponse<byte[]> r) {
        return json(r).objectList("errors").getFirst().string("code").orElseThrow();
    }

    @Override
    public void close() throws IOException {
        client.close(); // first: Jetty's graceful stop waits up to a second for idle keep-alive connections
        server.close();
        store.close();
    }
}
