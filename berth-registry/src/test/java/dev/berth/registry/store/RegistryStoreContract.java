package dev.berth.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistryStore} must do, from RegistryStore's javadoc and the distribution
 * spec: an implementation's test extends this class and says how to make an empty store.
 */
public abstract class RegistryStoreContract {
    protected static final RepositoryName REPO = RepositoryName.of("library/busybox");
    protected static final RepositoryName OTHER = RepositoryName.of("other/app");

    protected RegistryStore store;
    private final Random random = new Random(42);

    /** A new, empty store. */
    protected abstract RegistryStore createStore() throws IOException;

    @BeforeEach
    void setUpStore() throws IOException {
        store = createStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    // ---- helpers

    protected byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    protected static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    /** Pushes a blob monolithically (one append, then complete) and returns its digest. */
    protected Digest pushBlob(RepositoryName repo, byte[] content) {
        BlobUpload up = store.startUpload(repo);
        up.append(in(content), 0, content.length);
        return up.complete(Digest.sha256(content)).digest();
    }

    protected static String descriptorJson(String mediaType, Digest d, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
    }

    /** An OCI image manifest over blobs already pushed to {@code repo}. */
    protected byte[] imageManifest(RepositoryName repo, String extraFields) {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] layer = randomBytes(1000);
        Digest c = pushBlob(repo, config);
        Digest l = pushBlob(repo, layer);
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":" + descriptorJson(MediaTypes.OCI_CONFIG, c, config.length) + ","
                + "\"layers\":[" + descriptorJson(MediaTypes.OCI_LAYER_GZIP, l, layer.length) + "]"
                + extraFields + "}").getBytes(StandardCharsets.UTF_8);
    }

    protected static void assertCode(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    // ---- blobs and uploads

    @Test
    void monolithicUploadMakesTheBlobVisibleInItsRepositoryOnly() throws IOException {
        byte[] content = randomBytes(10_000);
        Digest d = pushBlob(REPO, content);

        assertThat(store.blob(REPO, d)).contains(new BlobInfo(d, content.length));
        assertThat(Files.readAllBytes(store.blobPath(d))).isEqualTo(content);
        assertThat(store.blob(OTHER, d)).isEmpty();
    }

    @Test
    void chunkedUploadAppendsInOrderAndReportsItsSize() {
        byte[] content = randomBytes(3000);
        BlobUpload up = store.startUpload(REPO);
        assertThat(up.size()).isZero();
        assertThat(up.append(in(java.util.Arrays.copyOfRange(content, 0, 1000)), 0, 1000)).isEqualTo(1000);
        // a second handle on the same session sees the same state
        BlobUpload again = store.upload(REPO, up.id());
        assertThat(again.size()).isEqualTo(1000);
        assertThat(again.append(in(java.util.Arrays.copyOfRange(content, 1000, 2500)), -1, -1)).isEqualTo(2500);
        assertThat(up.append(in(java.util.Arrays.copyOfRange(content, 2500, 3000)), 2500, 500)).isEqualTo(3000);

        BlobInfo info = up.complete(Digest.sha256(content));
        assertThat(info).isEqualTo(new BlobInfo(Digest.sha256(content), 3000));
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, up.id()));
    }

    @Test
    void sha512UploadsAreStoredUnderTheirSha512() throws IOException {
        byte[] content = randomBytes(5000);
        Digest d512 = Digest.of("sha512", content);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(content), -1, -1);
        assertThat(up.complete(d512).digest()).isEqualTo(d512);
        assertThat(store.blob(REPO, d512)).contains(new BlobInfo(d512, 5000));
        assertThat(Files.readAllBytes(store.blobPath(d512))).isEqualTo(content);
    }

    @Test
    void emptyBlobCanBeUploaded() {
        Digest d = pushBlob(REPO, new byte[0]);
        assertThat(store.blob(REPO, d)).contains(new BlobInfo(d, 0));
    }

    @Test
    void digestMismatchEndsTheSessionAndStoresNothing() {
        byte[] content = randomBytes(2000);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(content), 0, content.length);
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        assertCode(ErrorCode.DIGEST_INVALID, () -> up.complete(wrong));
        assertThat(store.blob(REPO, wrong)).isEmpty();
        assertThat(store.blob(REPO, Digest.sha256(content))).isEmpty();
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, up.id()));
    }

    @Test
    void chunkAtTheWrongOffsetIsRangeInvalidAndChangesNothing() {
        BlobUpload up = store.startUpload(REPO);
        up.append(in(randomBytes(100)), 0, 100);

        assertCode(ErrorCode.RANGE_INVALID, () -> up.append(in(randomBytes(10)), 50, 10));
        assertCode(ErrorCode.RANGE_INVALID, () -> up.append(in(randomBytes(10)), 101, 10));
        assertCode(ErrorCode.RANGE_INVALID, () -> up.append(in(randomBytes(10)), 0, 10));
        assertThat(up.size()).isEqualTo(100);
    }

    @Test
    void chunkShorterOrLongerThanPromisedIsSizeInvalidAndNothingOfItIsKept() {
        byte[] first = randomBytes(100);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(first), 0, 100);

        assertCode(ErrorCode.SIZE_INVALID, () -> up.append(in(randomBytes(50)), 100, 60));
        assertThat(up.size()).isEqualTo(100);
        assertCode(ErrorCode.SIZE_INVALID, () -> up.append(in(randomBytes(70)), 100, 60));
        assertThat(up.size()).isEqualTo(100);

        byte[] second = randomBytes(60);
        up.append(in(second), 100, 60);
        byte[] all = new byte[160];
        System.arraycopy(first, 0, all, 0, 100);
        System.arraycopy(second, 0, all, 100, 60);
        assertThat(up.complete(Digest.sha256(all)).size()).isEqualTo(160);
    }

    @Test
    void streamedChunkCutOffMidwayKeepsWhatArrivedSoTheClientCanResume() {
        byte[] content = randomBytes(1000);
        BlobUpload up = store.startUpload(REPO);
        InputStream dropsAfter600 = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos == 600) {
                    throw new IOException("connection reset");
                }
                return content[pos++] & 0xff;
            }
        };

        assertCode(ErrorCode.BLOB_UPLOAD_INVALID, () -> up.append(dropsAfter600, -1, -1));
        assertThat(up.size()).isEqualTo(600);
        up.append(in(java.util.Arrays.copyOfRange(content, 600, 1000)), 600, 400);
        assertThat(up.complete(Digest.sha256(content)).size()).isEqualTo(1000);
    }

    @Test
    void unknownOrForeignSessionsAreUploadUnknown() {
        BlobUpload up = store.startUpload(REPO);
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(OTHER, up.id()));
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, "00000000-0000-0000-0000-000000000000"));
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, "../../etc"));
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, ""));
    }

    @Test
    void cancelEndsTheSessionAndIsIdempotent() {
        BlobUpload up = store.startUpload(REPO);
        up.append(in(randomBytes(10)), 0, 10);
        up.cancel();
        up.cancel();
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, up.id()));
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> up.append(in(randomBytes(1)), 10, 1));
    }

    @Test
    void expireUploadsKeepsActiveSessions() {
        BlobUpload up = store.startUpload(REPO);
        assertThat(store.expireUploads(Duration.ofHours(1))).isZero();
        assertThat(store.upload(REPO, up.id()).size()).isZero();
        assertThat(store.expireUploads(Duration.ofMillis(-1))).isEqualTo(1);
        assertCode(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> store.upload(REPO, up.id()));
    }

    @Test
    void mountLinksABlobOnlyWhenTheSourceHasIt() {
        Digest d = pushBlob(REPO, randomBytes(100));
        assertThat(store.mount(OTHER, REPO, Digest.sha256(new byte[] {1}))).isFalse();
        assertThat(store.mount(RepositoryName.of("nothing/here"), OTHER, d)).isFalse();
        assertThat(store.blob(OTHER, d)).isEmpty();

        assertThat(store.mount(REPO, OTHER, d)).isTrue();
        assertThat(store.blob(OTHER, d)).contains(new BlobInfo(d, 100));
    }

    @Test
    void deleteBlobUnlinksItFromOneRepository() {
        Digest d = pushBlob(REPO, randomBytes(100));
        store.mount(REPO, OTHER, d);
        store.deleteBlob(REPO, d);
        assertThat(store.blob(REPO, d)).isEmpty();
        assertThat(store.blob(OTHER, d)).isPresent();
        assertCode(ErrorCode.BLOB_UNKNOWN, () -> store.deleteBlob(REPO, d));
    }

    @Test
    void nothingOfAnUnfinishedUploadIsVisible() {
        byte[] content = randomBytes(4000);
        Digest d = Digest.sha256(content);
        BlobUpload up = store.startUpload(REPO);
        up.append(in(java.util.Arrays.copyOfRange(content, 0, 3000)), 0, 3000);
        assertThat(store.blob(REPO, d)).isEmpty();
        assertThat(store.blobPath(d)).doesNotExist();
        assertThat(store.mount(REPO, OTHER, d)).isFalse();
        up.append(in(java.util.Arrays.copyOfRange(content, 3000, 4000)), 3000, 1000);
        assertThat(store.blob(REPO, d)).isEmpty();
        up.complete(d);
        assertThat(store.blob(REPO, d)).isPresent();
    }

    @Test
    void uploadingABlobTheStoreHasAlreadyLinksItAndKeepsOneCopy() throws IOException {
        byte[] content = randomBytes(500);
        Digest d = pushBlob(REPO, content);
        assertThat(pushBlob(OTHER, content)).isEqualTo(d);
        assertThat(store.blob(OTHER, d)).contains(new BlobInfo(d, 500));
        assertThat(Files.readAllBytes(store.blobPath(d))).isEqualTo(content);
    }

    // ---- manifests and tags

    @Test
    void manifestPushedByTagIsFoundByTagAndByDigestWithItsExactBytes() {
        byte[] body = imageManifest(REPO, "");
        PutManifestResult put = store.putManifest(REPO, "1.0", MediaTypes.OCI_MANIFEST, body);

        assertThat(put.digest()).isEqualTo(Digest.sha256(body));
        assertThat(put.subjectOrNull()).isNull();
        StoredManifest byTag = store.manifest(REPO, "1.0").orElseThrow();
        assertThat(byTag.body()).isEqualTo(body);
        assertThat(byTag.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(byTag.digest()).isEqualTo(put.digest());
        assertThat(store.manifest(REPO, put.digest().toString()).orElseThrow().body()).isEqualTo(body);
        assertThat(store.manifest(OTHER, "1.0")).isEmpty();
        assertThat(store.manifest(REPO, "2.0")).isEmpty();
        assertThat(store.tags(REPO)).containsExactly("1.0");
    }

    @Test
    void manifestPushedByDigestHasNoTag() {
        byte[] body = imageManifest(REPO, "");
        Digest d = Digest.sha256(body);
        assertThat(store.putManifest(REPO, d.toString(), MediaTypes.OCI_MANIFEST, body).digest()).isEqualTo(d);
        assertThat(store.manifest(REPO, d.toString())).isPresent();
        assertThat(store.tags(REPO)).isEmpty();
    }

    @Test
    void manifestByDigestIsCheckedInThatDigestsAlgorithm() {
        byte[] body = imageManifest(REPO, "");
        Digest d512 = Digest.of("sha512", body);
        assertThat(store.putManifest(REPO, d512.toString(), MediaTypes.OCI_MANIFEST, body).digest()).isEqualTo(d512);
        assertThat(store.manifest(REPO, d512.toString()).orElseThrow().body()).isEqualTo(body);

        Digest other = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));
        assertCode(ErrorCode.DIGEST_INVALID, () -> store.putManifest(REPO, other.toString(), MediaTypes.OCI_MANIFEST, body));
        assertCode(ErrorCode.DIGEST_INVALID, () -> store.putManifest(REPO, "sha256:abc", MediaTypes.OCI_MANIFEST, body));
        assertCode(ErrorCode.DIGEST_INVALID, () -> store.putManifest(REPO, "md5:" + "0".repeat(32), MediaTypes.OCI_MANIFEST, body));
    }

    @Test
    void lookupsWithAMalformedReference() {
        assertThat(store.manifest(REPO, "bad tag")).isEmpty();
        assertThat(store.manifest(REPO, "")).isEmpty();
        assertThat(store.manifest(REPO, "-x")).isEmpty();
        assertCode(ErrorCode.DIGEST_INVALID, () -> store.manifest(REPO, "sha256:1234"));
        assertCode(ErrorCode.DIGEST_INVALID, () -> store.manifest(REPO, "sha1:" + "0".repeat(40)));
        assertCode(ErrorCode.MANIFEST_UNKNOWN, () -> store.deleteTag(REPO, "../../etc"));
    }

    @Test
    void tagMovesToTheNewManifest() {
        byte[] first = imageManifest(REPO, "");
        byte[] second = imageManifest(REPO, "");
        store.putManifest(REPO, "latest", MediaTypes.OCI_MANIFEST, first);
        store.putManifest(REPO, "latest", MediaTypes.OCI_MANIFEST, second);
        assertThat(store.manifest(REPO, "latest").orElseThrow().body()).isEqualTo(second);
        assertThat(store.manifest(REPO, Digest.sha256(first).toString())).isPresent();
    }

    @Test
    void manifestNamingABlobTheRepositoryLacksIsManifestBlobUnknown() {
        byte[] body = imageManifest(OTHER, "");
        assertCode(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, body));
        assertThat(store.manifest(REPO, "1")).isEmpty();
    }

    @Test
    void manifestWithAWrongBlobSizeIsInvalid() {
        byte[] layer = randomBytes(10);
        Digest l = pushBlob(REPO, layer);
        byte[] body = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptorJson(MediaTypes.OCI_CONFIG, l, 10) + ",\"layers\":["
                + descriptorJson(MediaTypes.OCI_LAYER, l, 11) + "]}").getBytes(StandardCharsets.UTF_8);
        assertCode(ErrorCode.MANIFEST_INVALID, () -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, body));
    }

    @Test
    void invalidManifestsAreRefused() {
        byte[] good = imageManifest(REPO, "");
        List<ThrowingCallable> bad = new ArrayList<>();
        bad.add(() -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, "not json".getBytes(StandardCharsets.UTF_8)));
        bad.add(() -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, new byte[0]));
        bad.add(() -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, "[1,2]".getBytes(StandardCharsets.UTF_8)));
        bad.add(() -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8)));
        bad.add(() -> store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST,
                "{\"schemaVersion\":1,\"config\":{}}".getBytes(StandardCharsets.UTF_8)));
        // the body says manifest, the request says index
        bad.add(() -> store.putManifest(REPO, "1", MediaTypes.OCI_INDEX, good));
        bad.add(() -> store.putManifest(REPO, "1", "application/vnd.docker.distribution.manifest.v1+prettyjws",
                "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)));
        bad.add(() -> store.putManifest(REPO, "bad tag!", MediaTypes.OCI_MANIFEST, good));
        bad.add(() -> store.putManifest(REPO, "x".repeat(129), MediaTypes.OCI_MANIFEST, good));
        bad.add(() -> store.putManifest(REPO, ".hidden", MediaTypes.OCI_MANIFEST, good));
        for (ThrowingCallable call : bad) {
            assertCode(ErrorCode.MANIFEST_INVALID, call);
        }
        assertThat(store.tags(REPO)).isEmpty();
    }

    @Test
    void dockerSchema2ManifestAndManifestListAreAccepted() {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        Digest c = pushBlob(REPO, config);
        byte[] layer = randomBytes(64);
        Digest l = pushBlob(REPO, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
                + descriptorJson(MediaTypes.DOCKER_CONFIG, c, config.length) + ",\"layers\":["
                + descriptorJson(MediaTypes.DOCKER_LAYER, l, 64) + "]}").getBytes(StandardCharsets.UTF_8);
        Digest m = store.putManifest(REPO, "amd64", MediaTypes.DOCKER_MANIFEST, manifest).digest();
        byte[] list = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + m + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);

        store.putManifest(REPO, "latest", MediaTypes.DOCKER_MANIFEST_LIST, list);
        assertThat(store.manifest(REPO, "latest").orElseThrow().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(store.manifest(REPO, "amd64").orElseThrow().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void indexNamingAManifestTheRepositoryLacksIsManifestBlobUnknown() {
        byte[] manifest = imageManifest(OTHER, "");
        Digest m = store.putManifest(OTHER, "1", MediaTypes.OCI_MANIFEST, manifest).digest();
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + descriptorJson(MediaTypes.OCI_MANIFEST, m, manifest.length) + "]}").getBytes(StandardCharsets.UTF_8);
        assertCode(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> store.putManifest(REPO, "1", MediaTypes.OCI_INDEX, index));
        assertThat(store.putManifest(OTHER, "2", MediaTypes.OCI_INDEX, index).digest()).isEqualTo(Digest.sha256(index));
    }

    @Test
    void manifestWithoutMediaTypeTakesTheContentType() {
        byte[] body = imageManifest(REPO, "");
        String withoutType = new String(body, StandardCharsets.UTF_8)
                .replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",", "");
        byte[] noType = withoutType.getBytes(StandardCharsets.UTF_8);
        store.putManifest(REPO, "a", MediaTypes.OCI_MANIFEST + "; charset=utf-8", noType);
        assertThat(store.manifest(REPO, "a").orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        store.putManifest(REPO, "b", null, noType);
        assertThat(store.manifest(REPO, "b").orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void unknownMediaTypeWithAJsonBodyIsStoredAsIs() {
        byte[] body = "{\"schemaVersion\":2,\"anything\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        String type = "application/vnd.example.thing.v1+json";
        store.putManifest(REPO, "thing", type, body);
        StoredManifest got = store.manifest(REPO, "thing").orElseThrow();
        assertThat(got.body()).isEqualTo(body);
        assertThat(got.mediaType()).isEqualTo(type);
    }

    @Test
    void deleteManifestRemovesItAndEveryTagPointingAtIt() {
        byte[] body = imageManifest(REPO, "");
        Digest d = store.putManifest(REPO, "a", MediaTypes.OCI_MANIFEST, body).digest();
        store.putManifest(REPO, "b", MediaTypes.OCI_MANIFEST, body);
        byte[] other = imageManifest(REPO, "");
        store.putManifest(REPO, "c", MediaTypes.OCI_MANIFEST, other);

        store.deleteManifest(REPO, d);
        assertThat(store.manifest(REPO, d.toString())).isEmpty();
        assertThat(store.manifest(REPO, "a")).isEmpty();
        assertThat(store.tags(REPO)).containsExactly("c");
        assertCode(ErrorCode.MANIFEST_UNKNOWN, () -> store.deleteManifest(REPO, d));
    }

    @Test
    void deleteTagKeepsTheManifest() {
        byte[] body = imageManifest(REPO, "");
        Digest d = store.putManifest(REPO, "a", MediaTypes.OCI_MANIFEST, body).digest();
        store.deleteTag(REPO, "a");
        assertThat(store.tags(REPO)).isEmpty();
        assertThat(store.manifest(REPO, d.toString())).isPresent();
        assertCode(ErrorCode.MANIFEST_UNKNOWN, () -> store.deleteTag(REPO, "a"));
    }

    @Test
    void tagsOfAnUnknownRepositoryIsNameUnknown() {
        assertCode(ErrorCode.NAME_UNKNOWN, () -> store.tags(RepositoryName.of("never/pushed")));
        store.startUpload(RepositoryName.of("only/an/upload"));
        assertCode(ErrorCode.NAME_UNKNOWN, () -> store.tags(RepositoryName.of("only/an/upload")));
    }

    @Test
    void tagsAreListedInLexicalOrder() {
        byte[] body = imageManifest(REPO, "");
        for (String tag : List.of("b", "a", "C", "1.0", "latest", "a_b")) {
            store.putManifest(REPO, tag, MediaTypes.OCI_MANIFEST, body);
        }
        assertThat(store.tags(REPO)).containsExactly("1.0", "C", "a", "a_b", "b", "latest");
    }

    @Test
    void repositoriesAreListedInLexicalOrderIncludingNestedNames() {
        pushBlob(RepositoryName.of("b"), randomBytes(1));
        pushBlob(RepositoryName.of("a/b/c"), randomBytes(1));
        pushBlob(RepositoryName.of("a"), randomBytes(1));
        store.startUpload(RepositoryName.of("z"));
        assertThat(store.repositories()).extracting(RepositoryName::value).containsExactly("a", "a/b/c", "b");
    }

    // ---- referrers

    @Test
    void referrersAreRecordedWithArtifactTypeAndAnnotationsAndFiltered() {
        byte[] subjectBody = imageManifest(REPO, "");
        Digest subject = Digest.sha256(subjectBody);
        String subjectField = ",\"subject\":" + descriptorJson(MediaTypes.OCI_MANIFEST, subject, subjectBody.length);

        // pushed before its subject: the spec says a registry must accept it
        byte[] sbom = imageManifest(REPO, ",\"artifactType\":\"application/vnd.example.sbom.v1\""
                + subjectField + ",\"annotations\":{\"org.example.kind\":\"sbom\"}");
        PutManifestResult put = store.putManifest(REPO, Digest.sha256(sbom).toString(), MediaTypes.OCI_MANIFEST, sbom);
        assertThat(put.subjectOrNull()).isEqualTo(subject);
        store.putManifest(REPO, "subject", MediaTypes.OCI_MANIFEST, subjectBody);
        // no artifactType: the config's media type stands in
        byte[] plain = imageManifest(REPO, subjectField);
        store.putManifest(REPO, Digest.sha256(plain).toString(), MediaTypes.OCI_MANIFEST, plain);

        List<Descriptor> all = store.referrers(REPO, subject, null);
        assertThat(all).hasSize(2);
        Descriptor sbomRef = all.stream().filter(d -> d.digest().equals(Digest.sha256(sbom))).findFirst().orElseThrow();
        assertThat(sbomRef.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(sbomRef.size()).isEqualTo(sbom.length);
        assertThat(sbomRef.artifactType()).isEqualTo("application/vnd.example.sbom.v1");
        assertThat(sbomRef.annotations()).isEqualTo(Map.of("org.example.kind", "sbom"));
        Descriptor plainRef = all.stream().filter(d -> d.digest().equals(Digest.sha256(plain))).findFirst().orElseThrow();
        assertThat(plainRef.artifactType()).isEqualTo(MediaTypes.OCI_CONFIG);

        assertThat(store.referrers(REPO, subject, "application/vnd.example.sbom.v1"))
                .extracting(Descriptor::digest).containsExactly(Digest.sha256(sbom));
        assertThat(store.referrers(REPO, subject, "application/none")).isEmpty();
        assertThat(store.referrers(OTHER, subject, null)).isEmpty();
        assertThat(store.referrers(REPO, Digest.sha256(new byte[] {9}), null)).isEmpty();

        store.deleteManifest(REPO, Digest.sha256(sbom));
        assertThat(store.referrers(REPO, subject, null)).extracting(Descriptor::digest).containsExactly(Digest.sha256(plain));
    }

    @Test
    void indexWithSubjectIsAReferrerWithoutArtifactTypeUnlessItHasOne() {
        byte[] subjectBody = imageManifest(REPO, "");
        Digest subject = store.putManifest(REPO, "s", MediaTypes.OCI_MANIFEST, subjectBody).digest();
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[],"
                + "\"subject\":" + descriptorJson(MediaTypes.OCI_MANIFEST, subject, subjectBody.length) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(store.putManifest(REPO, Digest.sha256(index).toString(), MediaTypes.OCI_INDEX, index).subjectOrNull())
                .isEqualTo(subject);
        Descriptor ref = store.referrers(REPO, subject, null).getFirst();
        assertThat(ref.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(ref.artifactType()).isEmpty();
    }

    // ---- garbage collection

    private static List<Digest> blobsOf(byte[] manifest) {
        ImageManifest m = ImageJson.parseManifest(manifest);
        List<Digest> out = new ArrayList<>();
        out.add(m.config().digest());
        m.layers().forEach(l -> out.add(l.digest()));
        return out;
    }

    @Test
    void gcKeepsWhatManifestsNameAndBlobsOfAPushUnderWay() throws IOException {
        byte[] body = imageManifest(REPO, "");
        Digest m = store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, body).digest();
        byte[] loose = randomBytes(50);
        Digest looseDigest = pushBlob(OTHER, loose);

        GcReport report = store.collectGarbage(false, false);
        assertThat(report.blobsRemoved()).isEmpty();
        assertThat(report.manifestsRemoved()).isEmpty();
        assertThat(report.bytesFreed()).isZero();
        assertThat(store.manifest(REPO, "1").orElseThrow().body()).isEqualTo(body);
        for (Digest d : blobsOf(body)) {
            assertThat(store.blob(REPO, d)).isPresent();
        }
        assertThat(store.manifest(REPO, m.toString())).isPresent();
        assertThat(Files.readAllBytes(store.blobPath(looseDigest))).isEqualTo(loose);
    }

    @Test
    void gcSweepsWhatNothingHoldsAnyMoreAndDryRunOnlyReports() {
        byte[] body = imageManifest(REPO, "");
        Digest m = store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, body).digest();
        List<Digest> blobs = blobsOf(body);
        store.deleteManifest(REPO, m);
        blobs.forEach(d -> store.deleteBlob(REPO, d));
        long expectedBytes = body.length;
        for (Digest d : blobs) {
            expectedBytes += store.blobPath(d).toFile().length();
        }
        List<Digest> all = new ArrayList<>(blobs);
        all.add(m);

        GcReport dry = store.collectGarbage(true, false);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.blobsRemoved()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(dry.bytesFreed()).isEqualTo(expectedBytes);
        all.forEach(d -> assertThat(store.blobPath(d)).exists());

        GcReport real = store.collectGarbage(false, false);
        assertThat(real.blobsRemoved()).containsExactlyInAnyOrderElementsOf(all);
        all.forEach(d -> assertThat(store.blobPath(d)).doesNotExist());
        assertThat(store.collectGarbage(false, false).blobsRemoved()).isEmpty();
    }

    @Test
    void gcKeepsABlobAnotherRepositoryStillHolds() {
        byte[] body = imageManifest(REPO, "");
        Digest m = store.putManifest(REPO, "1", MediaTypes.OCI_MANIFEST, body).digest();
        List<Digest> blobs = blobsOf(body);
        blobs.forEach(d -> store.mount(REPO, OTHER, d));
        store.putManifest(OTHER, "1", MediaTypes.OCI_MANIFEST, body);
        store.deleteManifest(REPO, m);
        blobs.forEach(d -> store.deleteBlob(REPO, d));

        assertThat(store.collectGarbage(false, false).blobsRemoved()).isEmpty();
        blobs.forEach(d -> assertThat(store.blob(OTHER, d)).isPresent());
        assertThat(store.manifest(OTHER, "1").orElseThrow().body()).isEqualTo(body);
    }

    @Test
    void gcDeleteUntaggedKeepsWhatTagsReachThroughIndexesAndReferrers() {
        byte[] child = imageManifest(REPO, "");
        Digest childDigest = store.putManifest(REPO, Digest.sha256(child).toString(), MediaTypes.OCI_MANIFEST, child).digest();
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + descriptorJson(MediaTypes.OCI_MANIFEST, childDigest, child.length) + "]}").getBytes(StandardCharsets.UTF_8);
        Digest indexDigest = store.putManifest(REPO, "latest", MediaTypes.OCI_INDEX, index).digest();
        byte[] signature = imageManifest(REPO, ",\"subject\":" + descriptorJson(MediaTypes.OCI_MANIFEST, childDigest, child.length));
        Digest signatureDigest = store.putManifest(REPO, Digest.sha256(signature).toString(), MediaTypes.OCI_MANIFEST, signature).digest();
        byte[] stray = imageManifest(REPO, "");
        Digest strayDigest = store.putManifest(REPO, Digest.sha256(stray).toString(), MediaTypes.OCI_MANIFEST, stray).digest();

        GcReport dry = store.collectGarbage(true, true);
        assertThat(dry.manifestsRemoved()).containsExactly(strayDigest);
        assertThat(store.manifest(REPO, strayDigest.toString())).isPresent();

        GcReport report = store.collectGarbage(false, true);
        assertThat(report.manifestsRemoved()).containsExactly(strayDigest);
        assertThat(store.manifest(REPO, strayDigest.toString())).isEmpty();
        for (Digest kept : List.of(indexDigest, childDigest, signatureDigest)) {
            assertThat(store.manifest(REPO, kept.toString())).as(kept.toString()).isPresent();
        }
        assertThat(store.referrers(REPO, childDigest, null)).extracting(Descriptor::digest).containsExactly(signatureDigest);
    }

    // ---- many threads at once

    @Test
    void manyConcurrentUploadsPushesAndPullsStayConsistent() throws Exception {
        int threads = 12;
        int perThread = 8;
        byte[] shared = randomBytes(20_000); // every thread uploads this one too: same blob, many writers
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            contents.add(randomBytes(1000 + i * 37));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                RepositoryName repo = RepositoryName.of("concurrent/r" + (t % 3));
                futures.add(pool.submit(() -> {
                    start.await();
                    pushChunked(repo, shared, 3);
                    for (int i = 0; i < perThread; i++) {
                        byte[] content = contents.get(thread * perThread + i);
                        Digest d = pushChunked(repo, content, 1 + i % 4);
                        assertThat(Files.readAllBytes(store.blobPath(store.blob(repo, d).orElseThrow().digest())))
                                .isEqualTo(content);
                        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
                        Digest c = pushBlob(repo, config.getBytes(StandardCharsets.UTF_8));
                        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                                + "\",\"config\":" + descriptorJson(MediaTypes.OCI_CONFIG, c, config.length())
                                + ",\"layers\":[" + descriptorJson(MediaTypes.OCI_LAYER, d, content.length) + ","
                                + descriptorJson(MediaTypes.OCI_LAYER, Digest.sha256(shared), shared.length) + "]}")
                                .getBytes(StandardCharsets.UTF_8);
                        // every thread of a repository moves the same tag, and its own
                        store.putManifest(repo, "latest", MediaTypes.OCI_MANIFEST, manifest);
                        store.putManifest(repo, "t" + thread + "-" + i, MediaTypes.OCI_MANIFEST, manifest);
                        assertThat(store.manifest(repo, "t" + thread + "-" + i).orElseThrow().body()).isEqualTo(manifest);
                        assertThat(store.manifest(repo, "latest")).isPresent();
                        if (i % 3 == 0) {
                            store.collectGarbage(false, false);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int r = 0; r < 3; r++) {
            RepositoryName repo = RepositoryName.of("concurrent/r" + r);
            List<String> tags = store.tags(repo);
            assertThat(tags).contains("latest").hasSize(1 + threads / 3 * perThread);
            for (String tag : tags) {
                byte[] body = store.manifest(repo, tag).orElseThrow().body();
                for (Digest d : blobsOf(body)) {
                    assertThat(store.blob(repo, d)).as(repo + " " + tag + " " + d).isPresent();
                    assertThat(Digest.of(d.algorithm(), Files.readAllBytes(store.blobPath(d)))).isEqualTo(d);
                }
            }
        }
        assertThat(store.collectGarbage(false, false).blobsRemoved()).isEmpty();
    }

    /** Pushes in {@code chunks} appends, alternating explicit offsets and streamed chunks. */
    private Digest pushChunked(RepositoryName repo, byte[] content, int chunks) {
        BlobUpload up = store.startUpload(repo);
        int step = Math.max(1, content.length / chunks);
        for (int pos = 0; pos < content.length; pos += step) {
            int end = Math.min(content.length, pos + step);
            byte[] part = java.util.Arrays.copyOfRange(content, pos, end);
            if ((pos / step) % 2 == 0) {
                store.upload(repo, up.id()).append(in(part), pos, part.length);
            } else {
                up.append(in(part), -1, -1);
            }
        }
        return up.complete(Digest.sha256(content)).digest();
    }

    @Test
    void uploadStatusIsAnsweredWhileAChunkIsStillArriving() throws Exception {
        BlobUpload up = store.startUpload(REPO);
        up.append(in(new byte[100]), 0, 100);
        CountDownLatch midChunk = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slowBody = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent == 50) {
                    midChunk.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                if (sent == 100) {
                    return -1;
                }
                sent++;
                return 0;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> appending = pool.submit(() -> up.append(slowBody, 100, 100));
            assertThat(midChunk.await(1, TimeUnit.MINUTES)).isTrue();
            // the status the client asks for meanwhile is what was acknowledged so far
            assertThat(store.upload(REPO, up.id()).size()).isEqualTo(100);
            release.countDown();
            assertThat(appending.get(1, TimeUnit.MINUTES)).isEqualTo(200);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(up.complete(Digest.sha256(new byte[200])).size()).isEqualTo(200);
    }

    @Test
    void concurrentAppendsToOneSessionAreSerialized() throws Exception {
        BlobUpload up = store.startUpload(REPO);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                futures.add(pool.submit(() -> store.upload(REPO, up.id()).append(in(new byte[1000]), -1, -1)));
            }
            for (Future<?> f : futures) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(up.size()).isEqualTo(8000);
        assertThat(up.complete(Digest.sha256(new byte[8000])).size()).isEqualTo(8000);
    }
}
