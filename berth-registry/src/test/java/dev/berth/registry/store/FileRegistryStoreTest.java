package dev.berth.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract on disk, plus what only a file store has: restarts, crash leftovers, grace periods. */
class FileRegistryStoreTest extends RegistryStoreContract {
    private Path root;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));

    @Override
    protected RegistryStore createStore() throws IOException {
        root = Files.createTempDirectory("berth-regstore-");
        return FileRegistryStore.open(root, clock, Duration.ofHours(24));
    }

    @AfterEach
    void removeRoot() {
        FileRegistryStore.deleteTree(root);
    }

    /** What a restart does: a new store on the same root. */
    private void restart() throws IOException {
        store.close();
        store = FileRegistryStore.open(root, clock, Duration.ofHours(24));
    }

    private long filesUnder(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve(dir))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void uploadSessionSurvivesARestart() throws IOException {
        byte[] content = randomBytes(5000);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(Arrays.copyOfRange(content, 0, 2000)), 0, 2000);
        restart();

        BlobUpload resumed = store.upload(REPO, up.id());
        assertThat(resumed.size()).isEqualTo(2000);
        assertCode(dev.berth.registry.ErrorCode.RANGE_INVALID, () -> resumed.append(in(new byte[1]), 0, 1));
        resumed.append(in(Arrays.copyOfRange(content, 2000, 5000)), 2000, 3000);
        // the running hash was lost with the old process: completion hashes the file
        assertThat(resumed.complete(Digest.sha256(content)).size()).isEqualTo(5000);
        assertThat(Files.readAllBytes(store.blobPath(Digest.sha256(content)))).isEqualTo(content);
    }

    @Test
    void bytesWrittenAfterTheLastAcknowledgedChunkAreCutAtRestart() throws IOException {
        byte[] content = randomBytes(300);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(content), 0, 300);
        // a crash in the middle of the next chunk: bytes on disk the state never acknowledged
        Files.write(root.resolve("uploads").resolve(up.id()).resolve("data"), randomBytes(77), StandardOpenOption.APPEND);
        restart();

        BlobUpload resumed = store.upload(REPO, up.id());
        assertThat(resumed.size()).isEqualTo(300);
        assertThat(resumed.complete(Digest.sha256(content)).size()).isEqualTo(300);
    }

    @Test
    void crashLeftoversAreIgnoredAndSweptAtOpen() throws IOException {
        byte[] body = imageManifest(REPO, "");
        store.putManifest(REPO, "latest", MediaTypes.OCI_MANIFEST, body);
        BlobUpload live = store.startUpload(REPO);
        live.append(in(randomBytes(10)), 0, 10);
        Path tags = root.resolve("repositories/library/busybox/_tags");
        Path tagTemp = tags.resolve(".latest.tmp-" + UUID.randomUUID());
        Files.writeString(tagTemp, "sha256:half");
        Path ingestTemp = root.resolve("ingest").resolve(UUID.randomUUID() + ".tmp");
        Files.write(ingestTemp, randomBytes(5));
        Path halfMadeSession = root.resolve("uploads/.new-" + UUID.randomUUID());
        Files.createDirectories(halfMadeSession);
        Path halfEnded = root.resolve("uploads/.gone-" + UUID.randomUUID());
        Files.createDirectories(halfEnded);
        Files.writeString(halfEnded.resolve("state"), "{\"repository\":\"library/busybox\",\"size\":0}");
        Files.createFile(halfEnded.resolve("data"));
        Path stateless = root.resolve("uploads").resolve(UUID.randomUUID().toString());
        Files.createDirectories(stateless);
        Files.write(stateless.resolve("data"), randomBytes(5));
        Path garbledState = root.resolve("uploads").resolve(UUID.randomUUID().toString());
        Files.createDirectories(garbledState);
        Files.writeString(garbledState.resolve("state"), "{not json");

        // before the restart the leftovers are invisible
        assertThat(store.tags(REPO)).containsExactly("latest");
        assertCode(dev.berth.registry.ErrorCode.BLOB_UPLOAD_UNKNOWN,
                () -> store.upload(REPO, stateless.getFileName().toString()));
        restart();

        assertThat(tagTemp).doesNotExist();
        assertThat(ingestTemp).doesNotExist();
        assertThat(halfMadeSession).doesNotExist();
        assertThat(halfEnded).doesNotExist();
        assertThat(stateless).doesNotExist();
        assertThat(garbledState).doesNotExist();
        assertThat(store.tags(REPO)).containsExactly("latest");
        assertThat(store.manifest(REPO, "latest").orElseThrow().body()).isEqualTo(body);
        assertThat(store.upload(REPO, live.id()).size()).isEqualTo(10);
    }

    @Test
    void endedSessionsLeaveNoFiles() throws IOException {
        BlobUpload done = store.startUpload(REPO);
        done.append(in(randomBytes(10)), 0, 10);
        done.cancel();
        byte[] content = randomBytes(10);
        BlobUpload completed = store.startUpload(REPO);
        completed.append(in(content), 0, 10);
        completed.complete(Digest.sha256(content));
        BlobUpload failed = store.startUpload(REPO);
        failed.append(in(content), 0, 10);
        assertCode(dev.berth.registry.ErrorCode.DIGEST_INVALID,
                () -> failed.complete(Digest.sha256("x".getBytes(StandardCharsets.UTF_8))));

        assertThat(filesUnder("uploads")).isZero();
        assertThat(filesUnder("ingest")).isZero();
    }

    @Test
    void expiryMeasuresIdleTimeFromTheLastChunk() {
        BlobUpload idle = store.startUpload(REPO);
        BlobUpload busy = store.startUpload(REPO);
        clock.advance(Duration.ofMinutes(50));
        busy.append(in(randomBytes(10)), 0, 10);
        clock.advance(Duration.ofMinutes(20));

        assertThat(store.expireUploads(Duration.ofHours(1))).isEqualTo(1);
        assertCode(dev.berth.registry.ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, idle.id()));
        assertThat(store.upload(REPO, busy.id()).size()).isEqualTo(10);
        assertCode(dev.berth.registry.ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> idle.append(in(new byte[1]), 0, 1));
    }

    @Test
    void blobNoManifestNamesIsDroppedOnceOlderThanTheGracePeriod() {
        Digest orphan = pushBlob(REPO, randomBytes(100));
        Digest remounted = pushBlob(REPO, randomBytes(100));
        byte[] body = imageManifest(REPO, "");
        store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, body);
        clock.advance(Duration.ofHours(23));
        assertThat(store.collectGarbage(false, false).blobsRemoved()).isEmpty();

        clock.advance(Duration.ofHours(2));
        store.mount(REPO, REPO, remounted); // linked again: a new push uses it
        GcReport report = store.collectGarbage(false, false);
        assertThat(report.blobsRemoved()).containsExactly(orphan);
        assertThat(store.blob(REPO, orphan)).isEmpty();
        assertThat(store.blob(REPO, remounted)).isPresent();
        assertThat(store.manifest(REPO, "1").orElseThrow().body()).isEqualTo(body);
    }

    @Test
    void aRootIsHeldByOneStoreAtATime() throws IOException {
        assertThatThrownBy(() -> FileRegistryStore.open(root))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.FAILED_PRECONDITION))
                .hasMessageContaining("in use");
        Digest d = pushBlob(REPO, randomBytes(10));
        restart(); // close releases it
        assertThat(store.blob(REPO, d)).isPresent();
    }

    @Test
    void aReferrerRecordOutlivingItsManifestIsIgnoredAndCollected() throws IOException {
        byte[] subjectBody = imageManifest(REPO, "");
        Digest subject = store.putManifest(REPO, "s", MediaTypes.OCI_MANIFEST, subjectBody).digest();
        byte[] referrer = imageManifest(REPO, ",\"subject\":" + descriptorJson(MediaTypes.OCI_MANIFEST, subject, subjectBody.length));
        Digest r = store.putManifest(REPO, Digest.sha256(referrer).toString(), MediaTypes.OCI_MANIFEST, referrer).digest();
        // a crash inside deleteManifest, after the unlink and before the record went
        Files.delete(root.resolve("repositories/library/busybox/_manifests/sha256").resolve(r.hex()));
        Path record = root.resolve("repositories/library/busybox/_referrers/sha256").resolve(subject.hex()).resolve("sha256-" + r.hex());
        assertThat(record).exists();

        assertThat(store.referrers(REPO, subject, null)).isEmpty();
        store.collectGarbage(false, false);
        assertThat(record).doesNotExist();
    }

    @Test
    void bytesPastTheAcknowledgedSizeNeverGoIntoTheBlob() throws IOException {
        byte[] content = randomBytes(400);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(content), 0, 400);
        // what a rolled-back chunk whose truncate failed would leave
        Files.write(root.resolve("uploads").resolve(up.id()).resolve("data"), randomBytes(33), StandardOpenOption.APPEND);

        Digest d = up.complete(Digest.sha256(content)).digest();
        assertThat(Files.readAllBytes(store.blobPath(d))).isEqualTo(content);
    }
}
