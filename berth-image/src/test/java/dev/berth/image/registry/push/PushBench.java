package dev.berth.image.registry.push;

import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Push throughput against Debian's docker-registry on 127.0.0.1, run by hand
 * (bench/registry-push.sh): (1) the three ways to upload a blob, raw, 4 blobs of
 * {@code -Dmib=50} MiB one after the other and 4 at once: POST then one PUT with the body,
 * a streamed PATCH then PUT, PATCHes of 16 MiB with Content-Range then PUT; (2) whole pushes
 * with ImagePusher of 4 random layers (stored gzip; stored plain) and 4 layers of the host's
 * /usr/bin files (plain blobs that compress: gzipped on the way). {@code -Draw=false} skips (1). Prints MiB/s of blob bytes; the median of {@code -Druns=3}.
 */
public final class PushBench {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static int repoCounter;

    public static void main(String[] args) throws Exception {
        int mib = Integer.getInteger("mib", 50);
        int runs = Integer.getInteger("runs", 3);
        Path work = Files.createTempDirectory(Path.of("/tmp"), "berth-push-bench-");
        try (DockerRegistryProcess registry = DockerRegistryProcess.start()) {
            List<byte[]> blobs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] b = new byte[mib << 20];
                new Random(i).nextBytes(b);
                blobs.add(b);
            }
            long total = 4L * (mib << 20);
            for (String method : Boolean.parseBoolean(System.getProperty("raw", "true"))
                    ? List.of("put", "patch-stream", "patch-chunks") : List.<String>of()) {
                for (boolean parallel : new boolean[] {false, true}) {
                    double[] r = new double[runs];
                    for (int run = 0; run < runs; run++) {
                        String repo = "raw" + (repoCounter++);
                        long t0 = System.nanoTime();
                        upload(registry, repo, blobs, method, parallel);
                        r[run] = total / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
                    }
                    System.out.printf("raw %-13s %-10s %7.1f MiB/s%n", method, parallel ? "4 at once" : "one by one", median(r));
                }
            }
            for (Kept kept : List.of(Kept.GZIP_BLOB, Kept.PLAIN_BLOB)) {
                double[] r = new double[runs];
                for (int run = 0; run < runs; run++) {
                    PushFixture fx = new PushFixture(Files.createDirectories(work.resolve("fx" + repoCounter++)));
                    List<Layer> layers = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        layers.add(fx.randomLayer("r" + i, mib << 20, 100 * run + i, kept));
                    }
                    r[run] = push(fx, registry, layers);
                }
                System.out.printf("push 4 random layers, %-10s %7.1f MiB/s%n", kept, median(r));
            }
            double[] r = new double[runs];
            for (int run = 0; run < runs; run++) {
                PushFixture fx = new PushFixture(Files.createDirectories(work.resolve("fx" + repoCounter++)));
                List<Layer> layers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    layers.add(fx.binariesLayer("b" + run + "-" + i, mib << 20, Kept.PLAIN_BLOB));
                }
                r[run] = push(fx, registry, layers);
            }
            System.out.printf("push 4 layers of /usr/bin files, gzipped on the way %7.1f MiB/s (of plain tar)%n", median(r));
        } finally {
            dev.berth.image.io.FileTrees.delete(work);
        }
    }

    private static double push(PushFixture fx, DockerRegistryProcess registry, List<Layer> layers) throws Exception {
        String name = registry.domain() + "/img" + (repoCounter++) + ":1";
        fx.image(List.of(name), layers.toArray(Layer[]::new));
        long bytes = layers.stream().mapToLong(l -> l.tar().length).sum();
        long t0 = System.nanoTime();
        fx.pusher().push(Reference.parse(name), new Recorder());
        return bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
    }

    private static void upload(DockerRegistryProcess registry, String repo, List<byte[]> blobs, String method, boolean parallel)
            throws Exception {
        try (ExecutorService pool = parallel ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newSingleThreadExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (byte[] blob : blobs) {
                all.add(pool.submit(() -> {
                    uploadOne(registry, repo, blob, method);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
    }

    private static void uploadOne(DockerRegistryProcess registry, String repo, byte[] blob, String method) throws Exception {
        Digest digest = Digest.sha256(blob);
        URI session = post(registry.uri("/v2/" + repo + "/blobs/uploads/"));
        switch (method) {
            case "put" -> expect(HTTP.send(HttpRequest.newBuilder(RegistryPushTransport.withDigest(session, digest))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString()), 201);
            case "patch-stream" -> {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(session).method("PATCH",
                        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob))).build(),
                        HttpResponse.BodyHandlers.ofString());
                expect(r, 202);
                finish(r, digest);
            }
            default -> {
                int chunk = 16 << 20;
                HttpResponse<String> r = null;
                URI at = session;
                for (int off = 0; off < blob.length; off += chunk) {
                    int len = Math.min(chunk, blob.length - off);
                    r = HTTP.send(HttpRequest.newBuilder(at).header("Content-Range", off + "-" + (off + len - 1))
                            .header("Content-Type", "application/octet-stream")
                            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(blob, off, len)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    expect(r, 202);
                    at = r.request().uri().resolve(r.headers().firstValue("Location").orElseThrow());
                }
                finish(r, digest);
            }
        }
    }

    private static void finish(HttpResponse<String> patched, Digest digest) throws Exception {
        URI next = patched.request().uri().resolve(patched.headers().firstValue("Location").orElseThrow());
        expect(HTTP.send(HttpRequest.newBuilder(RegistryPushTransport.withDigest(next, digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 201);
    }

    private static URI post(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        expect(r, 202);
        return uri.resolve(r.headers().firstValue("Location").orElseThrow());
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }
}
