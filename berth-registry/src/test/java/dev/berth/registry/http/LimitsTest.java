package dev.berth.registry.http;

import static dev.berth.registry.http.TestRegistry.errorCode;
import static dev.berth.registry.http.TestRegistry.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.registry.auth.RegistryAuth;
import dev.berth.registry.store.FileRegistryStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request size limits: 413 with SIZE_TOO_LARGE, and nothing of the refused body kept. */
class LimitsTest {
    @TempDir
    Path dir;
    TestRegistry registry;

    @BeforeEach
    void start() {
        registry = new TestRegistry(FileRegistryStore.open(dir.resolve("root")), RegistryAuth.open(), new ServerLimits(1000, 10_000));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void aManifestOverTheLimitIs413() {
        byte[] big = ("{\"schemaVersion\":2,\"annotations\":{\"x\":\"" + "a".repeat(2000) + "\"}}").getBytes();
        HttpResponse<byte[]> r = registry.send("PUT", "/v2/x/manifests/latest", big, "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("SIZE_TOO_LARGE");
    }

    @Test
    void aBlobOverTheLimitIs413WhateverWayItComes() {
        byte[] big = randomBytes(10_001);
        Digest digest = Digest.sha256(big);
        HttpResponse<byte[]> monolithic = registry.send("POST", "/v2/x/blobs/uploads/?digest=" + digest, big);
        assertThat(monolithic.statusCode()).isEqualTo(413);
        assertThat(errorCode(monolithic)).isEqualTo("SIZE_TOO_LARGE");

        String location = registry.send("POST", "/v2/x/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        assertThat(registry.send("PATCH", location, randomBytes(6000), "Content-Range", "0-5999").statusCode()).isEqualTo(202);
        // the second chunk would pass the limit: refused before a byte is read, the first kept
        HttpResponse<byte[]> second = registry.send("PATCH", location, randomBytes(6000), "Content-Range", "6000-11999");
        assertThat(second.statusCode()).isEqualTo(413);
        assertThat(registry.get(location).headers().firstValue("Range")).hasValue("0-5999");

        // a streamed chunk without a length is cut when it passes the limit
        HttpRequest streamed = HttpRequest.newBuilder(URI.create(registry.url(location)))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(randomBytes(6000)))).build();
        HttpResponse<byte[]> cut = registry.send(streamed);
        assertThat(cut.statusCode()).isEqualTo(413);
        assertThat(registry.get(location).headers().firstValue("Range")).hasValue("0-5999");
        assertThat(registry.head("/v2/x/blobs/" + digest).statusCode()).isEqualTo(404);
    }
}
