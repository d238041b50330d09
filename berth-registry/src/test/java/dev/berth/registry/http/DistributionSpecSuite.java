package dev.berth.registry.http;

import static dev.berth.registry.http.TestRegistry.errorCode;
import static dev.berth.registry.http.TestRegistry.json;
import static dev.berth.registry.http.TestRegistry.randomBytes;
import static dev.berth.registry.http.TestRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.json.JsonObject;
import dev.berth.registry.store.RegistryStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution spec (shared/specs/oci-distribution/spec.md), section by section, against a
 * real server on 127.0.0.1:0 over the store a subclass gives: pull, push (monolithic, POST then
 * PUT, chunked, streamed, resumed, mounted), content discovery, content management, and the
 * error codes the spec names for bad input.
 */
abstract class DistributionSpecSuite {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path dir;
    TestRegistry registry;

    abstract RegistryStore newStore(Path dir);

    @BeforeEach
    void start() {
        registry = new TestRegistry(newStore(dir));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    /** A fresh repository name per test, with a slash as most real names have. */
    static String repo() {
        return "conformance/repo-" + NAMES.incrementAndGet();
    }

    @Nested
    class DeterminingSupport {
        @Test
        void baseAnswers200WithTheApiVersionHeader() {
            HttpResponse<byte[]> r = registry.get("/v2/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("{}");
            assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
            assertThat(registry.get("/v2").statusCode()).isEqualTo(200);
        }

        @Test
        void unknownEndpointsAre404AndWrongMethods405() {
            assertThat(registry.get("/v3/").statusCode()).isEqualTo(404);
            assertThat(registry.get("/v2/x/what/ever").statusCode()).isEqualTo(404);
            HttpResponse<byte[]> r = registry.send("POST", "/v2/x/manifests/latest", new byte[0]);
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(errorCode(r)).isEqualTo("UNSUPPORTED");
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, DELETE");
        }
    }

    @Nested
    class Pull {
        @Test
        void manifestByTagAndDigestWithItsExactBytesAndType() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            for (String ref : List.of("v1", image.digest().toString())) {
                HttpResponse<byte[]> r = registry.get("/v2/" + repo + "/manifests/" + ref, "Accept", MediaTypes.OCI_MANIFEST);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(image.manifest());
                assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
                assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(image.digest().toString());
                HttpResponse<byte[]> h = registry.head("/v2/" + repo + "/manifests/" + ref);
                assertThat(h.statusCode()).isEqualTo(200);
                assertThat(h.headers().firstValue("Content-Length")).hasValue(Integer.toString(image.manifest().length));
                assertThat(h.headers().firstValue("Docker-Content-Digest")).hasValue(image.digest().toString());
                assertThat(h.body()).isEmpty();
            }
        }

        @Test
        void missingManifestIs404ManifestUnknown() {
            String repo = repo();
            registry.pushImage(repo, "v1");
            HttpResponse<byte[]> r = registry.get("/v2/" + repo + "/manifests/v2");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("MANIFEST_UNKNOWN");
            assertThat(registry.head("/v2/" + repo + "/manifests/v2").statusCode()).isEqualTo(404);
            assertThat(registry.get("/v2/nosuch/repo/manifests/latest").statusCode()).isEqualTo(404);
            // not a tag at all: names nothing (the conformance suite's ".INVALID_MANIFEST_NAME")
            assertThat(registry.get("/v2/" + repo + "/manifests/.INVALID_MANIFEST_NAME").statusCode()).isEqualTo(404);
        }

        @Test
        void malformedDigestReferenceIs400WithTheSpecErrorBody() {
            HttpResponse<byte[]> r = registry.get("/v2/" + repo() + "/manifests/sha256:totallywrong");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
            assertThat(json(r).objectList("errors").getFirst().string("message")).isPresent();
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        }

        @Test
        void blobGetAndHead() {
            String repo = repo();
            byte[] content = randomBytes(300_000); // above the size sent through a mapping
            Digest digest = registry.pushBlob(repo, content);
            HttpResponse<byte[]> r = registry.get("/v2/" + repo + "/blobs/" + digest);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(content);
            assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            HttpResponse<byte[]> h = registry.head("/v2/" + repo + "/blobs/" + digest);
            assertThat(h.statusCode()).isEqualTo(200);
            assertThat(h.headers().firstValue("Content-Length")).hasValue("300000");
            assertThat(h.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        }

        @Test
        void blobsLargerThanOneSendSliceComeWhole() {
            String repo = repo();
            byte[] content = randomBytes(9 * 1024 * 1024 + 123);
            Digest digest = registry.pushBlob(repo, content);
            assertThat(registry.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
            HttpResponse<byte[]> across = registry.get("/v2/" + repo + "/blobs/" + digest, "Range", "bytes=4194000-8388900");
            assertThat(across.statusCode()).isEqualTo(206);
            assertThat(across.body()).isEqualTo(Arrays.copyOfRange(content, 4_194_000, 8_388_901));
        }

        @Test
        void smallAndEmptyBlobs() {
            String repo = repo();
            byte[] small = "hello".getBytes(StandardCharsets.UTF_8);
            Digest d = registry.pushBlob(repo, small);
            assertThat(registry.get("/v2/" + repo + "/blobs/" + d).body()).isEqualTo(small);
            Digest empty = registry.pushBlob(repo, new byte[0]);
            HttpResponse<byte[]> r = registry.get("/v2/" + repo + "/blobs/" + empty);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }

        @Test
        void rangeRequestsAre206WithContentRange() {
            String repo = repo();
            byte[] content = randomBytes(400_000);
            Digest digest = registry.pushBlob(repo, content);
            String path = "/v2/" + repo + "/blobs/" + digest;

            HttpResponse<byte[]> middle = registry.get(path, "Range", "bytes=10-19");
            assertThat(middle.statusCode()).isEqualTo(206);
            assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
            assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 10-19/400000");

            HttpResponse<byte[]> open = registry.get(path, "Range", "bytes=100000-");
            assertThat(open.statusCode()).isEqualTo(206);
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 100_000, 400_000));

            HttpResponse<byte[]> suffix = registry.get(path, "Range", "bytes=-5");
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 399_995, 400_000));

            HttpResponse<byte[]> clipped = registry.get(path, "Range", "bytes=399990-999999999");
            assertThat(clipped.statusCode()).isEqualTo(206);
            assertThat(clipped.body()).hasSize(10);

            HttpResponse<byte[]> outside = registry.get(path, "Range", "bytes=400000-");
            assertThat(outside.statusCode()).isEqualTo(416);
            assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */400000");

            // several ranges or another unit: ignored, the whole blob comes
            HttpResponse<byte[]> multi = registry.get(path, "Range", "bytes=0-1,5-6");
            assertThat(multi.statusCode()).isEqualTo(200);
            assertThat(multi.body()).isEqualTo(content);
            assertThat(registry.get(path, "Range", "items=0-1").statusCode()).isEqualTo(200);
        }

        @Test
        void missingBlobIs404BlobUnknownAndBadDigest400() {
            String repo = repo();
            registry.pushBlob(repo, randomBytes(10));
            Digest other = Digest.sha256("hello world".getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> r = registry.get("/v2/" + repo + "/blobs/" + other);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("BLOB_UNKNOWN");
            assertThat(registry.head("/v2/" + repo + "/blobs/" + other).statusCode()).isEqualTo(404);
            HttpResponse<byte[]> bad = registry.get("/v2/" + repo + "/blobs/sha256:abc");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(errorCode(bad)).isEqualTo("DIGEST_INVALID");
            assertThat(errorCode(registry.get("/v2/" + repo + "/blobs/md5:d41d8cd98f00b204e9800998ecf8427e"))).isEqualTo("DIGEST_INVALID");
        }

        @Test
        void aBlobIsVisibleOnlyInTheRepositoriesThatHaveIt() {
            Digest digest = registry.pushBlob(repo(), randomBytes(100));
            String other = repo();
            registry.pushBlob(other, randomBytes(10));
            assertThat(registry.get("/v2/" + other + "/blobs/" + digest).statusCode()).isEqualTo(404);
        }

        @Test
        void invalidRepositoryNamesAre400NameInvalid() {
            for (String name : List.of("UPPER", "-lead", "trail-", "a__-b", "x".repeat(256))) {
                HttpResponse<byte[]> r = registry.get("/v2/" + name + "/manifests/latest");
                assertThat(r.statusCode()).as(name).isEqualTo(400);
                assertThat(errorCode(r)).isEqualTo("NAME_INVALID");
            }
            // Jetty refuses ambiguous paths before routing; the answer is still the spec's JSON
            for (String name : List.of("a//b", "a/%2e%2e/b", "a%2fb")) {
                HttpResponse<byte[]> r = registry.get("/v2/" + name + "/manifests/latest");
                assertThat(r.statusCode()).as(name).isEqualTo(400);
                assertThat(json(r).objectList("errors")).isNotEmpty();
            }
        }

        @Test
        void namesMayContainTheEndpointWords() {
            String repo = "a/blobs/manifests/uploads/tags/b-" + NAMES.incrementAndGet();
            TestRegistry.Pushed image = registry.pushImage(repo, "latest");
            assertThat(registry.get("/v2/" + repo + "/manifests/latest").body()).isEqualTo(image.manifest());
            assertThat(registry.get("/v2/" + repo + "/blobs/" + image.layer()).statusCode()).isEqualTo(200);
            assertThat(json(registry.get("/v2/" + repo + "/tags/list")).strings("tags")).containsExactly("latest");
        }

        @Test
        void percentEncodedDigestsAreDecoded() {
            String repo = repo();
            Digest digest = registry.pushBlob(repo, randomBytes(10));
            String encoded = digest.toString().replace(":", "%3A");
            assertThat(registry.get("/v2/" + repo + "/blobs/" + encoded).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Push {
        @Test
        void postThenPut() {
            String repo = repo();
            byte[] content = randomBytes(5000);
            Digest digest = Digest.sha256(content);
            HttpResponse<byte[]> post = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null);
            assertThat(post.statusCode()).isEqualTo(202);
            String location = post.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith("/v2/" + repo + "/blobs/uploads/");
            assertThat(post.headers().firstValue("Docker-Upload-UUID")).isPresent();
            assertThat(post.headers().firstValue("Range")).hasValue("0-0");
            HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + digest, content,
                    "Content-Type", "application/octet-stream");
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.headers().firstValue("Location")).hasValue("/v2/" + repo + "/blobs/" + digest);
            assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            assertThat(registry.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
            // the session is over
            assertThat(errorCode(registry.get(location))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        }

        @Test
        void singlePostWithDigest() {
            String repo = repo();
            byte[] content = randomBytes(2000);
            Digest digest = Digest.sha256(content);
            HttpResponse<byte[]> r = registry.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Location")).hasValue("/v2/" + repo + "/blobs/" + digest);
        }

        @Test
        void singlePostWithAWrongDigestStoresNothing() {
            String repo = repo();
            byte[] content = randomBytes(2000);
            Digest wrong = Digest.sha256(randomBytes(5));
            HttpResponse<byte[]> r = registry.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + wrong, content);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
            assertThat(registry.head("/v2/" + repo + "/blobs/" + wrong).statusCode()).isEqualTo(404);
            assertThat(registry.head("/v2/" + repo + "/blobs/" + Digest.sha256(content)).statusCode()).isEqualTo(404);
        }

        @Test
        void sha512Blobs() {
            String repo = repo();
            byte[] content = randomBytes(3000);
            Digest digest = Digest.of("sha512", content);
            HttpResponse<byte[]> post = registry.send("POST", "/v2/" + repo + "/blobs/uploads/?digest-algorithm=sha512", null);
            assertThat(post.statusCode()).isEqualTo(202);
            HttpResponse<byte[]> put = registry.send("PUT", post.headers().firstValue("Location").orElseThrow()
                    + "?digest=" + digest, content);
            assertThat(put.statusCode()).isEqualTo(201);
            HttpResponse<byte[]> get = registry.get("/v2/" + repo + "/blobs/" + digest);
            assertThat(get.body()).isEqualTo(content);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            HttpResponse<byte[]> bad = registry.send("POST", "/v2/" + repo + "/blobs/uploads/?digest-algorithm=md5", null);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(errorCode(bad)).isEqualTo("DIGEST_INVALID");
        }

        @Test
        void chunkedUploadWithStatusAndResume() {
            String repo = repo();
            byte[] content = randomBytes(30_000);
            Digest digest = Digest.sha256(content);
            HttpResponse<byte[]> post = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]);
            String location = post.headers().firstValue("Location").orElseThrow();

            HttpResponse<byte[]> first = patch(location, content, 0, 10_000);
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(first.headers().firstValue("Range")).hasValue("0-9999");
            location = first.headers().firstValue("Location").orElseThrow();

            // the same chunk again (a retry after a lost answer) is out of order: 416 saying where we are
            HttpResponse<byte[]> again = patch(location, content, 0, 10_000);
            assertThat(again.statusCode()).isEqualTo(416);
            assertThat(again.headers().firstValue("Range")).hasValue("0-9999");
            assertThat(again.headers().firstValue("Location")).hasValue(location);
            // a gap is out of order too
            assertThat(patch(location, content, 20_000, 30_000).statusCode()).isEqualTo(416);

            HttpResponse<byte[]> status = registry.get(location);
            assertThat(status.statusCode()).isEqualTo(204);
            assertThat(status.headers().firstValue("Range")).hasValue("0-9999");
            assertThat(status.headers().firstValue("Location")).hasValue(location);

            HttpResponse<byte[]> second = patch(location, content, 10_000, 20_000);
            assertThat(second.statusCode()).isEqualTo(202);
            assertThat(second.headers().firstValue("Range")).hasValue("0-19999");

            // the last chunk rides on the closing PUT
            HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + digest,
                    Arrays.copyOfRange(content, 20_000, 30_000), "Content-Range", "20000-29999");
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(registry.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
        }

        @Test
        void closingPutOutOfOrderIs416() {
            String repo = repo();
            byte[] content = randomBytes(100);
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            patch(location, content, 0, 50);
            HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + Digest.sha256(content),
                    Arrays.copyOfRange(content, 60, 100), "Content-Range", "60-99");
            assertThat(put.statusCode()).isEqualTo(416);
        }

        @Test
        void streamedPatchWithoutContentRangeOrLength() {
            String repo = repo();
            byte[] content = randomBytes(700_000);
            Digest digest = Digest.sha256(content);
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(registry.url(location)))
                    .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
                    .header("Content-Type", "application/octet-stream").build();
            HttpResponse<byte[]> r = registry.send(chunked);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.headers().firstValue("Range")).hasValue("0-699999");
            HttpResponse<byte[]> put = registry.send("PUT", r.headers().firstValue("Location").orElseThrow() + "?digest=" + digest, null);
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(registry.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
        }

        @Test
        void finishingWithAWrongDigestIs400AndEndsTheSession() {
            String repo = repo();
            byte[] content = randomBytes(100);
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            patch(location, content, 0, 100);
            Digest wrong = Digest.sha256(randomBytes(100));
            HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + wrong, null);
            assertThat(put.statusCode()).isEqualTo(400);
            assertThat(errorCode(put)).isEqualTo("DIGEST_INVALID");
            assertThat(registry.head("/v2/" + repo + "/blobs/" + wrong).statusCode()).isEqualTo(404);
            assertThat(registry.get(location).statusCode()).isEqualTo(404);
        }

        @Test
        void finishingWithoutOrWithABadDigestIs400() {
            String repo = repo();
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            HttpResponse<byte[]> none = registry.send("PUT", location, new byte[] {1, 2});
            assertThat(none.statusCode()).isEqualTo(400);
            assertThat(errorCode(none)).isEqualTo("DIGEST_INVALID");
            assertThat(errorCode(registry.send("PUT", location + "?digest=sha256:nothex", null))).isEqualTo("DIGEST_INVALID");
            // neither touched the session
            assertThat(registry.get(location).statusCode()).isEqualTo(204);
        }

        @Test
        void contentRangeAndLengthMustAgree() {
            String repo = repo();
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            HttpResponse<byte[]> r = registry.send("PATCH", location, randomBytes(10), "Content-Range", "0-19");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("SIZE_INVALID");
            HttpResponse<byte[]> malformed = registry.send("PATCH", location, randomBytes(10), "Content-Range", "zero-9");
            assertThat(malformed.statusCode()).isEqualTo(416);
            assertThat(registry.get(location).headers().firstValue("Range")).hasValue("0-0");
        }

        @Test
        void cancelEndsTheSession() {
            String repo = repo();
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            patch(location, randomBytes(10), 0, 10);
            assertThat(registry.send("DELETE", location, null).statusCode()).isEqualTo(204);
            HttpResponse<byte[]> after = registry.get(location);
            assertThat(after.statusCode()).isEqualTo(404);
            assertThat(errorCode(after)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
            assertThat(registry.send("DELETE", location, null).statusCode()).isEqualTo(404);
        }

        @Test
        void unknownAndForeignSessionsAre404() {
            String repo = repo();
            String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            String id = location.substring(location.lastIndexOf('/') + 1);
            assertThat(errorCode(registry.get("/v2/" + repo() + "/blobs/uploads/" + id))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
            assertThat(errorCode(registry.get("/v2/" + repo + "/blobs/uploads/no-such-session"))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
            assertThat(registry.send("PATCH", "/v2/" + repo + "/blobs/uploads/..%2F..%2Fetc", randomBytes(3)).statusCode()).isIn(400, 404);
        }

        @Test
        void mountFromAnotherRepository() {
            String source = repo();
            String target = repo();
            Digest digest = registry.pushBlob(source, randomBytes(500));
            HttpResponse<byte[]> r = registry.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + source, null);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Location")).hasValue("/v2/" + target + "/blobs/" + digest);
            assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            assertThat(registry.get("/v2/" + target + "/blobs/" + digest).statusCode()).isEqualTo(200);
        }

        @Test
        void mountWithoutFromFindsTheBlobInAnotherRepository() {
            String source = repo();
            String target = repo();
            Digest digest = registry.pushBlob(source, randomBytes(300));
            HttpResponse<byte[]> r = registry.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + digest, null);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Location")).hasValue("/v2/" + target + "/blobs/" + digest);
            assertThat(registry.get("/v2/" + target + "/blobs/" + digest).statusCode()).isEqualTo(200);
        }

        @Test
        void mountThatCannotHappenOpensASession() {
            String target = repo();
            Digest absent = Digest.sha256("hello world".getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> noFrom = registry.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + absent, null);
            assertThat(noFrom.statusCode()).isEqualTo(202);
            assertThat(noFrom.headers().firstValue("Location").orElseThrow()).startsWith("/v2/" + target + "/blobs/uploads/");
            HttpResponse<byte[]> missing = registry.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + absent + "&from=" + repo(), null);
            assertThat(missing.statusCode()).isEqualTo(202);
            HttpResponse<byte[]> badFrom = registry.send("POST", "/v2/" + target + "/blobs/uploads/?mount=" + absent + "&from=NOT..valid", null);
            assertThat(badFrom.statusCode()).isEqualTo(202);
            HttpResponse<byte[]> badDigest = registry.send("POST", "/v2/" + target + "/blobs/uploads/?mount=sha256:xyz&from=" + repo(), null);
            assertThat(badDigest.statusCode()).isEqualTo(400);
        }

        @Test
        void manifestPushAnswersLocationAndDigest() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            HttpResponse<byte[]> again = registry.send("PUT", "/v2/" + repo + "/manifests/" + image.digest(), image.manifest(),
                    "Content-Type", MediaTypes.OCI_MANIFEST + "; charset=utf-8");
            assertThat(again.statusCode()).isEqualTo(201);
            assertThat(again.headers().firstValue("Location")).hasValue("/v2/" + repo + "/manifests/" + image.digest());
            assertThat(again.headers().firstValue("Docker-Content-Digest")).hasValue(image.digest().toString());
            assertThat(again.headers().firstValue("OCI-Subject")).isEmpty();
        }

        @Test
        void manifestByDigestWithTags() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "base");
            HttpResponse<byte[]> r = registry.send("PUT", "/v2/" + repo + "/manifests/" + image.digest() + "?tag=1.2.3&tag=latest",
                    image.manifest(), "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().allValues("OCI-Tag")).containsExactly("1.2.3", "latest");
            assertThat(json(registry.get("/v2/" + repo + "/tags/list")).strings("tags")).containsExactly("1.2.3", "base", "latest");
            HttpResponse<byte[]> bad = registry.send("PUT", "/v2/" + repo + "/manifests/" + image.digest() + "?tag=-bad",
                    image.manifest(), "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(bad.statusCode()).isEqualTo(400);
        }

        @Test
        void manifestNamingMissingBlobsIs404ManifestBlobUnknown() {
            String repo = repo();
            Digest config = registry.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
            byte[] manifest = TestRegistry.manifest(Descriptor.of(MediaTypes.OCI_CONFIG, config, 2),
                    List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(randomBytes(4)), 4)), null, null, Map.of());
            HttpResponse<byte[]> r = registry.send("PUT", "/v2/" + repo + "/manifests/latest", manifest,
                    "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
            assertThat(registry.get("/v2/" + repo + "/manifests/latest").statusCode()).isEqualTo(404);
        }

        @Test
        void invalidManifestsAre400ManifestInvalid() {
            String repo = repo();
            HttpResponse<byte[]> garbage = registry.send("PUT", "/v2/" + repo + "/manifests/latest",
                    "blablabla".getBytes(StandardCharsets.UTF_8), "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(garbage.statusCode()).isEqualTo(400);
            assertThat(errorCode(garbage)).isEqualTo("MANIFEST_INVALID");
            HttpResponse<byte[]> badTag = registry.send("PUT", "/v2/" + repo + "/manifests/" + "t".repeat(129),
                    "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(badTag.statusCode()).isEqualTo(400);
        }

        @Test
        void manifestPushedByTheWrongDigestIs400DigestInvalid() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            byte[] changed = (text(registryGet(repo, "v1")) + " ").getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> r = registry.send("PUT", "/v2/" + repo + "/manifests/" + image.digest(), changed,
                    "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        }

        private HttpResponse<byte[]> registryGet(String repo, String ref) {
            return registry.get("/v2/" + repo + "/manifests/" + ref);
        }

        @Test
        void manifestWithASubjectAnswersOciSubject() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            Digest empty = registry.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
            byte[] referrer = TestRegistry.manifest(Descriptor.of(MediaTypes.OCI_EMPTY, empty, 2), List.of(),
                    Descriptor.of(MediaTypes.OCI_MANIFEST, image.digest(), image.manifest().length),
                    "application/vnd.example.sbom", Map.of("k", "v"));
            HttpResponse<byte[]> r = registry.send("PUT", "/v2/" + repo + "/manifests/" + Digest.sha256(referrer), referrer,
                    "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("OCI-Subject")).hasValue(image.digest().toString());
        }
    }

    @Nested
    class ContentDiscovery {
        @Test
        void tagsAreListedInOrderAndPaged() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "a");
            for (String tag : List.of("d", "b", "e", "c")) {
                registry.send("PUT", "/v2/" + repo + "/manifests/" + tag, image.manifest(), "Content-Type", MediaTypes.OCI_MANIFEST);
            }
            JsonObject all = json(registry.get("/v2/" + repo + "/tags/list"));
            assertThat(all.string("name")).hasValue(repo);
            assertThat(all.strings("tags")).containsExactly("a", "b", "c", "d", "e");

            HttpResponse<byte[]> first = registry.get("/v2/" + repo + "/tags/list?n=2");
            assertThat(json(first).strings("tags")).containsExactly("a", "b");
            assertThat(first.headers().firstValue("Link")).hasValue("</v2/" + repo + "/tags/list?n=2&last=b>; rel=\"next\"");

            HttpResponse<byte[]> next = registry.get("/v2/" + repo + "/tags/list?n=2&last=b");
            assertThat(json(next).strings("tags")).containsExactly("c", "d");
            HttpResponse<byte[]> end = registry.get("/v2/" + repo + "/tags/list?n=2&last=d");
            assertThat(json(end).strings("tags")).containsExactly("e");
            assertThat(end.headers().firstValue("Link")).isEmpty();

            HttpResponse<byte[]> none = registry.get("/v2/" + repo + "/tags/list?n=0");
            assertThat(json(none).strings("tags")).isEmpty();
            assertThat(none.headers().firstValue("Link")).isEmpty();
            assertThat(json(registry.get("/v2/" + repo + "/tags/list?last=c")).strings("tags")).containsExactly("d", "e");
            assertThat(json(registry.get("/v2/" + repo + "/tags/list?n=5")).strings("tags")).hasSize(5);
            assertThat(registry.get("/v2/" + repo + "/tags/list?n=5").headers().firstValue("Link")).isEmpty();
        }

        @Test
        void tagsOfAnUnknownRepositoryAre404NameUnknown() {
            HttpResponse<byte[]> r = registry.get("/v2/" + repo() + "/tags/list");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("NAME_UNKNOWN");
        }

        @Test
        void referrersWithAndWithoutTheArtifactTypeFilter() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, image.digest(), image.manifest().length);
            Digest empty = registry.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
            byte[] sbom = TestRegistry.manifest(Descriptor.of(MediaTypes.OCI_EMPTY, empty, 2), List.of(), subject,
                    "application/vnd.example.sbom", Map.of("org.example", "sbom"));
            byte[] sig = TestRegistry.manifest(Descriptor.of("application/vnd.example.sig.config", empty, 2), List.of(), subject,
                    null, Map.of("org.example", "sig"));
            for (byte[] m : List.of(sbom, sig)) {
                assertThat(registry.send("PUT", "/v2/" + repo + "/manifests/" + Digest.sha256(m), m,
                        "Content-Type", MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(201);
            }
            HttpResponse<byte[]> all = registry.get("/v2/" + repo + "/referrers/" + image.digest());
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
            assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
            JsonObject index = json(all);
            assertThat(index.int64("schemaVersion")).hasValue(2L);
            assertThat(index.string("mediaType")).hasValue(MediaTypes.OCI_INDEX);
            List<JsonObject> manifests = index.objectList("manifests");
            assertThat(manifests).extracting(m -> m.string("artifactType").orElse(""))
                    .containsExactlyInAnyOrder("application/vnd.example.sbom", "application/vnd.example.sig.config");
            assertThat(manifests).extracting(m -> m.stringMap("annotations").get("org.example")).containsExactlyInAnyOrder("sbom", "sig");

            HttpResponse<byte[]> filtered = registry.get("/v2/" + repo + "/referrers/" + image.digest()
                    + "?artifactType=application/vnd.example.sbom");
            assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
            assertThat(json(filtered).objectList("manifests")).singleElement()
                    .satisfies(m -> assertThat(m.string("digest")).hasValue(Digest.sha256(sbom).toString()));
        }

        @Test
        void referrersOfAnUnknownSubjectAreAnEmptyIndexAndABadDigest400() {
            String repo = repo();
            HttpResponse<byte[]> r = registry.get("/v2/" + repo + "/referrers/" + Digest.sha256(randomBytes(3)));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
            assertThat(json(r).objectList("manifests")).isEmpty();
            HttpResponse<byte[]> bad = registry.get("/v2/" + repo + "/referrers/sha256:nope");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(errorCode(bad)).isEqualTo("DIGEST_INVALID");
        }

        @Test
        void catalogListsRepositoriesPaged() {
            List<String> names = List.of("cat/a-" + NAMES.incrementAndGet(), "cat/b-" + NAMES.incrementAndGet());
            names.forEach(n -> registry.pushBlob(n, randomBytes(3)));
            List<String> all = json(registry.get("/v2/_catalog")).strings("repositories");
            assertThat(all).containsSubsequence(names).isSorted();
            HttpResponse<byte[]> page = registry.get("/v2/_catalog?n=1");
            assertThat(json(page).strings("repositories")).hasSize(1);
            assertThat(page.headers().firstValue("Link").orElseThrow()).startsWith("</v2/_catalog?n=1&last=");
        }
    }

    @Nested
    class ContentManagement {
        @Test
        void deletingATagKeepsTheManifest() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            assertThat(registry.send("DELETE", "/v2/" + repo + "/manifests/v1", null).statusCode()).isEqualTo(202);
            assertThat(registry.get("/v2/" + repo + "/manifests/v1").statusCode()).isEqualTo(404);
            assertThat(registry.get("/v2/" + repo + "/manifests/" + image.digest()).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> again = registry.send("DELETE", "/v2/" + repo + "/manifests/v1", null);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(errorCode(again)).isEqualTo("MANIFEST_UNKNOWN");
        }

        @Test
        void deletingAManifestRemovesItAndItsTags() {
            String repo = repo();
            TestRegistry.Pushed image = registry.pushImage(repo, "v1");
            assertThat(registry.send("DELETE", "/v2/" + repo + "/manifests/" + image.digest(), null).statusCode()).isEqualTo(202);
            assertThat(registry.get("/v2/" + repo + "/manifests/" + image.digest()).statusCode()).isEqualTo(404);
            assertThat(registry.get("/v2/" + repo + "/manifests/v1").statusCode()).isEqualTo(404);
            assertThat(registry.send("DELETE", "/v2/" + repo + "/manifests/" + image.digest(), null).statusCode()).isEqualTo(404);
        }

        @Test
        void deletingABlob() {
            String repo = repo();
            Digest digest = registry.pushBlob(repo, randomBytes(10));
            assertThat(registry.send("DELETE", "/v2/" + repo + "/blobs/" + digest, null).statusCode()).isEqualTo(202);
            HttpResponse<byte[]> gone = registry.get("/v2/" + repo + "/blobs/" + digest);
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(errorCode(gone)).isEqualTo("BLOB_UNKNOWN");
            assertThat(registry.send("DELETE", "/v2/" + repo + "/blobs/" + digest, null).statusCode()).isEqualTo(404);
            assertThat(registry.send("DELETE", "/v2/" + repo + "/blobs/sha256:bad", null).statusCode()).isEqualTo(400);
        }
    }

    private HttpResponse<byte[]> patch(String location, byte[] content, int from, int to) {
        return registry.send("PATCH", location, Arrays.copyOfRange(content, from, to),
                "Content-Type", "application/octet-stream", "Content-Range", from + "-" + (to - 1));
    }
}
