package dev.berth.registry.http;

import static dev.berth.registry.http.TestRegistry.json;
import static dev.berth.registry.http.TestRegistry.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import dev.berth.registry.store.FileRegistryStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once through the HTTP layer over the real store: chunked pushes of distinct
 * and identical blobs, manifests tagged in one repository, and ranged pulls of one large blob,
 * all interleaved. Everything must come back whole and every tag must be listed.
 */
class ConcurrentClientsTest {
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void pushesAndPullsInterleave() throws Exception {
        try (TestRegistry registry = new TestRegistry(FileRegistryStore.open(dir.resolve("root")));
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            byte[] shared = randomBytes(2_000_000);
            Digest sharedDigest = registry.pushBlob("big/one", shared);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                work.add(pool.submit(() -> {
                    // the same content pushed by everyone, in three chunks, into one repository
                    byte[] same = Arrays.copyOf(shared, 600_000);
                    pushChunked(registry, "many/same", same);
                    // a distinct image tagged in a shared repository
                    TestRegistry.Pushed image = registry.pushImage("many/tags", "t" + n);
                    assertThat(registry.get("/v2/many/tags/manifests/t" + n).body()).isEqualTo(image.manifest());
                    // a slice of the big blob
                    int from = n * 100_000;
                    HttpResponse<byte[]> part = registry.get("/v2/big/one/blobs/" + sharedDigest,
                            "Range", "bytes=" + from + "-" + (from + 99_999));
                    assertThat(part.statusCode()).isEqualTo(206);
                    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(shared, from, from + 100_000));
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            assertThat(json(registry.get("/v2/many/tags/tags/list")).strings("tags")).hasSize(CLIENTS);
            byte[] same = Arrays.copyOf(shared, 600_000);
            assertThat(registry.get("/v2/many/same/blobs/" + Digest.sha256(same)).body()).isEqualTo(same);
            assertThat(registry.get("/v2/big/one/blobs/" + sharedDigest).body()).isEqualTo(shared);
        }
    }

    private static void pushChunked(TestRegistry registry, String repo, byte[] content) {
        HttpResponse<byte[]> post = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        String location = post.headers().firstValue("Location").orElseThrow();
        int chunk = content.length / 3;
        for (int at = 0; at < content.length; at += chunk) {
            int end = Math.min(content.length, at + chunk);
            HttpResponse<byte[]> r = registry.send("PATCH", location, Arrays.copyOfRange(content, at, end),
                    "Content-Range", at + "-" + (end - 1));
            assertThat(r.statusCode()).isEqualTo(202);
            location = r.headers().firstValue("Location").orElseThrow();
        }
        HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + Digest.sha256(content), null);
        assertThat(put.statusCode()).isEqualTo(201);
    }
}
