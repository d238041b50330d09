package dev.berth.image.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentStoreTest {
    @TempDir
    Path dataRoot;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> ingestFiles() throws IOException {
        try (Stream<Path> s = Files.list(dataRoot.resolve("content/ingest"))) {
            return s.toList();
        }
    }

    @Test
    void putStoresUnderSha256AndReadsBack() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);

        Digest d = store.put(bytes("hello"));

        assertThat(d).isEqualTo(Digest.sha256(bytes("hello")));
        assertThat(store.contains(d)).isTrue();
        assertThat(store.size(d)).isEqualTo(5);
        assertThat(store.read(d)).isEqualTo(bytes("hello"));
        try (InputStream in = store.open(d)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("hello"));
        }
        assertThat(store.path(d)).isEqualTo(dataRoot.resolve("content/blobs/sha256/" + d.hex()).toAbsolutePath());
        assertThat(store.list()).containsExactly(d);
        assertThat(store.put(bytes("hello"))).isEqualTo(d);
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void missingBlobsAreNotFoundNamingTheDigest() {
        FileContentStore store = FileContentStore.open(dataRoot);
        Digest d = Digest.sha256(bytes("absent"));

        for (Runnable call : List.<Runnable>of(() -> store.size(d), () -> store.open(d), () -> store.read(d), () -> store.path(d))) {
            assertThatThrownBy(call::run).isInstanceOf(BerthException.class)
                    .hasMessage("blob " + d + " not found")
                    .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
        }
        assertThat(store.contains(d)).isFalse();
        store.delete(d); // idempotent
    }

    @Test
    void ingestVerifiesAndCommits() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        byte[] content = new byte[1 << 20];
        new java.util.Random(1).nextBytes(content);
        Digest want = Digest.sha256(content);

        try (Ingest in = store.ingest()) {
            in.stream().write(content, 0, 1000);
            in.stream().write(content, 1000, content.length - 1000);
            assertThat(in.written()).isEqualTo(content.length);
            assertThat(store.contains(want)).as("not visible before commit").isFalse();
            assertThat(in.commit(want)).isEqualTo(want);
        }

        assertThat(store.read(want)).isEqualTo(content);
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void ingestWithoutExpectationStoresUnderItsSha256() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        try (Ingest in = store.ingest()) {
            in.stream().write(bytes("abc"));
            assertThat(in.commit(null)).isEqualTo(Digest.sha256(bytes("abc")));
        }
    }

    @Test
    void sha512ExpectationIsVerifiedAndStoredUnderSha512() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        Digest want = Digest.of("sha512", bytes("abc"));
        try (Ingest in = store.ingest()) {
            in.stream().write(bytes("abc"));
            assertThat(in.commit(want)).isEqualTo(want);
        }
        assertThat(store.read(want)).isEqualTo(bytes("abc"));
        assertThat(store.list()).containsExactly(want);
    }

    @Test
    void digestMismatchLeavesNothing() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        Digest want = Digest.sha256(bytes("expected"));

        try (Ingest in = store.ingest()) {
            in.stream().write(bytes("tampered"));
            assertThatThrownBy(() -> in.commit(want))
                    .isInstanceOf(BerthException.class)
                    .hasMessage("digest mismatch: want " + want + ", got " + Digest.sha256(bytes("tampered")))
                    .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        }

        assertThat(store.list()).isEmpty();
        assertThat(store.contains(Digest.sha256(bytes("tampered")))).isFalse();
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void closeWithoutCommitAborts() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        Ingest in = store.ingest();
        in.stream().write(bytes("partial"));
        assertThat(ingestFiles()).hasSize(1);

        in.close();
        in.close();

        assertThat(ingestFiles()).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> in.stream().write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> in.commit(null)).isInstanceOf(BerthException.class);
    }

    @Test
    void concurrentPutsOfTheSameBlobMakeOneBlob() throws Exception {
        FileContentStore store = FileContentStore.open(dataRoot);
        byte[] content = new byte[256 * 1024];
        new java.util.Random(2).nextBytes(content);
        int threads = 12;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Digest>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try (Ingest in = store.ingest()) {
                        for (int off = 0; off < content.length; off += 4096) {
                            in.stream().write(content, off, 4096);
                        }
                        return in.commit(Digest.sha256(content));
                    }
                }));
            }
            go.countDown();
            for (Future<Digest> f : results) {
                assertThat(f.get()).isEqualTo(Digest.sha256(content));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).containsExactly(Digest.sha256(content));
        assertThat(store.read(Digest.sha256(content))).isEqualTo(content);
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void reopenAfterACrashSweepsLeftoverIngestsButKeepsBlobs() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        Digest kept = store.put(bytes("kept"));
        // what a kill -9 mid-write leaves: temp files in ingest/, never a partial blob
        Files.write(dataRoot.resolve("content/ingest/0b1c.tmp"), bytes("half a lay"));
        Files.write(dataRoot.resolve("content/ingest/other"), new byte[0]);

        FileContentStore reopened = FileContentStore.open(dataRoot);

        assertThat(ingestFiles()).isEmpty();
        assertThat(reopened.list()).containsExactly(kept);
        assertThat(reopened.read(kept)).isEqualTo(bytes("kept"));
    }

    @Test
    void reopenInTheSameProcessSparesLiveIngests() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        try (Ingest live = store.ingest()) {
            live.stream().write(bytes("in flight"));

            FileContentStore.open(dataRoot);

            assertThat(ingestFiles()).hasSize(1);
            assertThat(live.commit(null)).isEqualTo(Digest.sha256(bytes("in flight")));
        }
    }

    @Test
    void deleteRemovesAndListIgnoresForeignFiles() throws IOException {
        FileContentStore store = FileContentStore.open(dataRoot);
        Digest a = store.put(bytes("a"));
        Digest b = store.put(bytes("b"));
        Files.write(dataRoot.resolve("content/blobs/sha256/not-a-digest"), bytes("x"));

        store.delete(a);

        assertThat(store.list()).containsExactly(b);
        assertThat(store.contains(a)).isFalse();
    }
}
