package dev.berth.daemon.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.api.ApiHandler;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.config.HostAddress;
import dev.berth.daemon.events.Event;
import dev.berth.daemon.events.EventBus;
import dev.berth.daemon.server.ApiServer;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.image.registry.LoginResult;
import dev.berth.image.registry.ProgressSink.Progress;
import dev.berth.image.registry.PullResult;
import dev.berth.image.registry.PushResult;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.registry.DockerRegistryProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull, push and login over a real unix socket with a fake {@link dev.berth.image.registry.Distribution}:
 * the JSON message framing dockerd uses (recorded from dockerd 20.10), errors before and after
 * the stream starts, X-Registry-Auth, and the pull/push events.
 */
class RegistryRoutesTest {
    private static final Digest DIGEST = Digest.parse("sha256:e2f770553268099a8632d06888fba937c1a1e1c920e1a63bcadb22b0b60b5a19");
    private static final String AUTH = Base64.getUrlEncoder().encodeToString(
            "{\"username\":\"ann\",\"password\":\"s3cret\",\"serveraddress\":\"127.0.0.1:5000\"}".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;
    private final FakeDistribution fake = new FakeDistribution();
    private final EventBus events = new EventBus();
    private ApiServer server;
    private Path socket;

    @BeforeEach
    void start() {
        socket = dir.resolve("api.sock");
        RegistryRoutes routes = new RegistryRoutes(fake, new RegistryClient(RegistryOptions.defaults()), events);
        Router router = new Router().register(routes).post("/images/create", routes::pull);
        server = new ApiServer(List.of(HostAddress.parse("unix://" + socket, false)), null, new ApiHandler(router)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        events.close();
    }

    private RawHttp.Response call(String method, String path, Map<String, String> headers, String body) throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            return http.exchange(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private List<Event> events() {
        return events.subscribe(e -> true, 0L).past();
    }

    @Test
    void pullStreamsDockerdsMessagesAndEndsWithAPullEvent() throws Exception {
        fake.pull = p -> {
            p.send(Progress.of("1", "Pulling from bb"));
            p.send(Progress.of("8220f9b13f56", "Pulling fs layer"));
            p.send(new Progress("8220f9b13f56", "Downloading", 36445, 1064384));
            p.send(new Progress("8220f9b13f56", "Extracting", 425984, 1064384));
            p.send(Progress.of("8220f9b13f56", "Pull complete"));
            p.send(Progress.line("Digest: " + DIGEST));
            p.send(Progress.line("Status: Downloaded newer image for 127.0.0.1:5000/bb:1"));
            return new PullResult(Reference.parse("127.0.0.1:5000/bb:1"), DIGEST, DIGEST, false);
        };
        RawHttp.Response r = call("POST", "/v1.47/images/create?fromImage=127.0.0.1:5000/bb&tag=1",
                Map.of("X-Registry-Auth", AUTH), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo("""
                {"status":"Pulling from bb","id":"1"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"8220f9b13f56"}
                {"status":"Downloading","progressDetail":{"current":36445,"total":1064384},"progress":"[=\\u003e                                                 ]  36.45kB/1.064MB","id":"8220f9b13f56"}
                {"status":"Extracting","progressDetail":{"current":425984,"total":1064384},"progress":"[====================\\u003e                              ]    426kB/1.064MB","id":"8220f9b13f56"}
                {"status":"Pull complete","progressDetail":{},"id":"8220f9b13f56"}
                {"status":"Digest: sha256:e2f770553268099a8632d06888fba937c1a1e1c920e1a63bcadb22b0b60b5a19"}
                {"status":"Status: Downloaded newer image for 127.0.0.1:5000/bb:1"}
                """);
        FakeDistribution.Call c = fake.calls.getFirst();
        assertThat(c.ref()).isEqualTo(Reference.parse("127.0.0.1:5000/bb:1"));
        assertThat(c.platform()).isEqualTo(Platform.host());
        assertThat(c.credentials().username()).isEqualTo("ann");
        assertThat(c.credentials().password()).isEqualTo("s3cret");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("image");
            assertThat(e.action()).isEqualTo("pull");
            assertThat(e.actorId()).isEqualTo("127.0.0.1:5000/bb:1");
            assertThat(e.attributes()).isEqualTo(Map.of("name", "127.0.0.1:5000/bb"));
        });
    }

    @Test
    void pullTakesADigestInTagAndAPlatform() throws Exception {
        fake.pull = p -> new PullResult(Reference.parse("busybox@" + DIGEST), DIGEST, DIGEST, true);
        RawHttp.Response r = call("POST", "/images/create?fromImage=busybox&tag=" + DIGEST + "&platform=linux/arm64/v8",
                Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEmpty(); // nothing said: an empty stream, still a success
        FakeDistribution.Call c = fake.calls.getFirst();
        assertThat(c.ref()).isEqualTo(Reference.parse("docker.io/library/busybox@" + DIGEST));
        assertThat(c.platform()).isEqualTo(new Platform("arm64", "linux", "", List.of(), "v8"));
        assertThat(c.credentials().isAnonymous()).isTrue();
        assertThat(events().getFirst().actorId()).isEqualTo("busybox@" + DIGEST);
    }

    @Test
    void aFailureBeforeTheFirstMessageIsAPlainHttpError() throws Exception {
        fake.pull = p -> {
            throw BerthException.notFound("manifest for 127.0.0.1:5000/bb:nope not found: manifest unknown: manifest unknown");
        };
        RawHttp.Response r = call("POST", "/images/create?fromImage=127.0.0.1:5000/bb&tag=nope", Map.of(), null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo(
                "{\"message\":\"manifest for 127.0.0.1:5000/bb:nope not found: manifest unknown: manifest unknown\"}\n");
        assertThat(events()).isEmpty();
    }

    @Test
    void aLeadingPullingFromDoesNotStartTheStream() throws Exception {
        // a client that says "Pulling from" before its manifest GET fails: still dockerd's plain 404
        fake.pull = p -> {
            p.send(Progress.of("nope", "Pulling from bb"));
            throw BerthException.notFound("manifest for 127.0.0.1:5000/bb:nope not found: manifest unknown: manifest unknown");
        };
        RawHttp.Response r = call("POST", "/images/create?fromImage=127.0.0.1:5000/bb&tag=nope", Map.of(), null);
        assertThat(r.status()).isEqualTo(404);
        // and one that says only that and succeeds still gets it said
        fake.pull = p -> {
            p.send(Progress.of("1", "Pulling from bb"));
            return new PullResult(Reference.parse("127.0.0.1:5000/bb:1"), DIGEST, DIGEST, true);
        };
        assertThat(call("POST", "/images/create?fromImage=127.0.0.1:5000/bb&tag=1", Map.of(), null).text())
                .isEqualTo("{\"status\":\"Pulling from bb\",\"id\":\"1\"}\n");
    }

    @Test
    void aFailureAfterTheStreamStartedIsItsLastMessage() throws Exception {
        fake.pull = p -> {
            p.send(Progress.of("latest", "Pulling from x"));
            p.send(Progress.of("8220f9b13f56", "Pulling fs layer"));
            throw BerthException.invalid("filesystem layer verification failed for digest " + DIGEST);
        };
        RawHttp.Response r = call("POST", "/images/create?fromImage=127.0.0.1:5000/x", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("""
                {"status":"Pulling from x","id":"latest"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"8220f9b13f56"}
                {"errorDetail":{"message":"filesystem layer verification failed for digest %s"},"error":"filesystem layer verification failed for digest %s"}
                """.formatted(DIGEST, DIGEST));
        assertThat(events()).isEmpty();
        // the name as sent: no tag means what the client decides (latest, or every tag)
        assertThat(fake.calls.getFirst().ref()).isEqualTo(Reference.parse("127.0.0.1:5000/x"));
    }

    @Test
    void badInputIsRefusedBeforeAnyPull() throws Exception {
        assertThat(call("POST", "/images/create?fromImage=bb&tag=1", Map.of("X-Registry-Auth", "!!!notbase64"), null))
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.text()).contains("invalid X-Registry-Auth header");
                });
        assertThat(call("POST", "/images/create?fromImage=bb&tag=1",
                Map.of("X-Registry-Auth", Base64.getEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8))), null)
                .status()).isEqualTo(400);
        assertThat(call("POST", "/images/create?fromImage=Upper&tag=1", Map.of(), null).status()).isEqualTo(400);
        assertThat(call("POST", "/images/create?fromImage=bb&tag=-bad", Map.of(), null).status()).isEqualTo(400);
        RawHttp.Response platform = call("POST", "/images/create?fromImage=bb&platform=beos/amd64", Map.of(), null);
        assertThat(platform.status()).isEqualTo(400);
        assertThat(platform.text()).contains("unknown operating system or architecture");
        assertThat(call("POST", "/images/create?fromImage=bb&platform=linux/amd64/v1/x", Map.of(), null).status()).isEqualTo(400);
        assertThat(fake.calls).isEmpty();
    }

    @Test
    void pushSendsEachTagsAuxRightAfterItsDigestLine() throws Exception {
        fake.push = p -> {
            p.send(Progress.line("The push refers to repository [127.0.0.1:5000/bb]"));
            p.send(Progress.of("e417fcdd0d46", "Preparing"));
            p.send(new Progress("e417fcdd0d46", "Pushing", 1986560, 1982263));
            p.send(Progress.of("e417fcdd0d46", "Pushed"));
            p.send(Progress.line("1: digest: " + DIGEST + " size: 527"));
            return new PushResult(Reference.parse("127.0.0.1:5000/bb:1"), DIGEST, 527);
        };
        RawHttp.Response r = call("POST", "/v1.41/images/127.0.0.1:5000/bb/push?tag=1", Map.of("X-Registry-Auth", AUTH), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("""
                {"status":"The push refers to repository [127.0.0.1:5000/bb]"}
                {"status":"Preparing","progressDetail":{},"id":"e417fcdd0d46"}
                {"status":"Pushing","progressDetail":{"current":1986560,"total":1982263},"progress":"[==================================================\\u003e]  1.987MB","id":"e417fcdd0d46"}
                {"status":"Pushed","progressDetail":{},"id":"e417fcdd0d46"}
                {"status":"1: digest: %s size: 527"}
                {"progressDetail":{},"aux":{"Tag":"1","Digest":"%s","Size":527}}
                """.formatted(DIGEST, DIGEST));
        assertThat(fake.calls.getFirst().ref()).isEqualTo(Reference.parse("127.0.0.1:5000/bb:1"));
        assertThat(fake.calls.getFirst().credentials().username()).isEqualTo("ann");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("push");
            assertThat(e.actorId()).isEqualTo("127.0.0.1:5000/bb:1");
            assertThat(e.attributes()).isEqualTo(Map.of("name", "127.0.0.1:5000/bb"));
        });
    }

    @Test
    void pushOfEveryTagHasAnAuxPerTagAndTheResultsAuxWhenNoLineSaidIt() throws Exception {
        fake.push = p -> {
            p.send(Progress.line("a: digest: " + DIGEST + " size: 1"));
            p.send(Progress.line("b: digest: " + DIGEST + " size: 2"));
            return new PushResult(Reference.parse("x:c"), DIGEST, 3); // a client that did not say its last line
        };
        RawHttp.Response r = call("POST", "/images/x/push", Map.of("X-Registry-Auth", "e30="), null);
        assertThat(r.text().lines().filter(l -> l.contains("\"aux\"")).toList()).containsExactly(
                "{\"progressDetail\":{},\"aux\":{\"Tag\":\"a\",\"Digest\":\"" + DIGEST + "\",\"Size\":1}}",
                "{\"progressDetail\":{},\"aux\":{\"Tag\":\"b\",\"Digest\":\"" + DIGEST + "\",\"Size\":2}}",
                "{\"progressDetail\":{},\"aux\":{\"Tag\":\"c\",\"Digest\":\"" + DIGEST + "\",\"Size\":3}}");
        assertThat(fake.calls.getFirst().ref()).isEqualTo(Reference.parse("x"));
        assertThat(fake.calls.getFirst().credentials().isAnonymous()).isTrue();
        assertThat(events().getFirst().actorId()).isEqualTo("x");
    }

    @Test
    void pushErrorsBeforeAndAfterTheStreamStarts() throws Exception {
        fake.push = p -> {
            throw BerthException.notFound("An image does not exist locally with the tag: 127.0.0.1:5000/nothere");
        };
        RawHttp.Response missing = call("POST", "/images/127.0.0.1:5000/nothere/push?tag=1", Map.of("X-Registry-Auth", "e30="), null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEqualTo("{\"message\":\"An image does not exist locally with the tag: 127.0.0.1:5000/nothere\"}\n");

        fake.push = p -> {
            p.send(Progress.line("The push refers to repository [127.0.0.1:5000/bb]"));
            throw new BerthException(BerthException.Kind.UNAUTHORIZED, "unauthorized: authentication required");
        };
        RawHttp.Response cut = call("POST", "/images/127.0.0.1:5000/bb/push?tag=1", Map.of("X-Registry-Auth", "e30="), null);
        assertThat(cut.status()).isEqualTo(200);
        assertThat(cut.text()).endsWith("{\"errorDetail\":{\"message\":\"unauthorized: authentication required\"},"
                + "\"error\":\"unauthorized: authentication required\"}\n");
        assertThat(events()).isEmpty();
    }

    @Test
    void aRegistrysRefusalBeforeTheStreamIsA500AsDockerd2010SendsIt() throws Exception {
        fake.push = p -> {
            throw new BerthException(BerthException.Kind.UNAUTHORIZED, "no basic auth credentials");
        };
        RawHttp.Response refused = call("POST", "/images/127.0.0.1:5000/bb/push?tag=1", Map.of("X-Registry-Auth", "e30="), null);
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.text()).isEqualTo("{\"message\":\"no basic auth credentials\"}\n");
    }

    @Test
    void pushWantsCredentialsAsDockerdDoes() throws Exception {
        // no header and no body: dockerd's 400; the old API's JSON body is still taken
        RawHttp.Response none = call("POST", "/images/bb/push?tag=1", Map.of(), null);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.text()).isEqualTo("{\"message\":\"Bad parameters and missing X-Registry-Auth: EOF\"}\n");
        assertThat(call("POST", "/images/bb/push?tag=1", Map.of("X-Registry-Auth", "%%%"), null).status()).isEqualTo(400);
        assertThat(call("POST", "/images/bb/push?tag=bad:tag", Map.of("X-Registry-Auth", "e30="), null).status()).isEqualTo(400);
        assertThat(fake.calls).isEmpty();
        fake.push = p -> new PushResult(Reference.parse("bb:1"), DIGEST, 1);
        RawHttp.Response body = call("POST", "/images/bb/push?tag=1", Map.of("Content-Type", "application/json"),
                "{\"username\":\"bob\",\"password\":\"pw\"}");
        assertThat(body.status()).isEqualTo(200);
        assertThat(fake.calls.getFirst().credentials().username()).isEqualTo("bob");
    }

    @Test
    void loginAnswersAsDockerdAndRefusalsAre401() throws Exception {
        fake.login = p -> LoginResult.succeeded("");
        RawHttp.Response ok = call("POST", "/v1.47/auth", Map.of("Content-Type", "application/json"),
                "{\"username\":\"ann\",\"password\":\"s3cret\",\"serveraddress\":\"127.0.0.1:5000\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo("{\"IdentityToken\":\"\",\"Status\":\"Login Succeeded\"}\n");
        assertThat(fake.calls.getFirst().server()).isEqualTo("127.0.0.1:5000");
        assertThat(fake.calls.getFirst().credentials().password()).isEqualTo("s3cret");

        fake.login = p -> {
            throw new BerthException(BerthException.Kind.UNAUTHORIZED,
                    "login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized");
        };
        RawHttp.Response refused = call("POST", "/auth", Map.of("Content-Type", "application/json"),
                "{\"username\":\"ann\",\"password\":\"wrong\",\"serveraddress\":\"127.0.0.1:5000\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text()).isEqualTo(
                "{\"message\":\"login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized\"}\n");

        // no server address is Docker Hub, as the CLI means it
        fake.login = p -> LoginResult.succeeded("tok");
        assertThat(call("POST", "/auth", Map.of(), "{\"username\":\"ann\",\"password\":\"x\"}").text())
                .isEqualTo("{\"IdentityToken\":\"tok\",\"Status\":\"Login Succeeded\"}\n");
        assertThat(fake.calls.getLast().server()).isEqualTo("https://index.docker.io/v1/");

        assertThat(call("POST", "/auth", Map.of(), "{bad").status()).isEqualTo(400);
        assertThat(call("POST", "/auth", Map.of(), null).status()).isEqualTo(400);
        assertThat(call("POST", "/auth", Map.of(), "[]").status()).isEqualTo(400);
    }

    @Test
    void distributionInspectReadsTheRegistrysManifestAndConfig() throws Exception {
        Assumptions.assumeTrue(DockerRegistryProcess.available(), "needs Debian's docker-registry");
        try (DockerRegistryProcess registry = DockerRegistryProcess.start()) {
            byte[] layer = "not really a tarball, the registry does not care".getBytes(StandardCharsets.UTF_8);
            byte[] config = ("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[\"" + Digest.sha256(layer) + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
            upload(registry, "bb", layer);
            upload(registry, "bb", config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":" + config.length
                    + ",\"digest\":\"" + Digest.sha256(config) + "\"},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + layer.length + ",\"digest\":\""
                    + Digest.sha256(layer) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(registry.uri("/v2/bb/manifests/1"))
                    .header("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

            RawHttp.Response r = call("GET", "/v1.47/distribution/" + registry.domain() + "/bb:1/json", Map.of(), null);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"Descriptor\":{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                    + "\"digest\":\"" + Digest.sha256(manifest) + "\",\"size\":" + manifest.length + "},"
                    + "\"Platforms\":[{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}]}\n");

            RawHttp.Response missing = call("GET", "/distribution/" + registry.domain() + "/bb:nope/json", Map.of(), null);
            assertThat(missing.status()).as(missing.text()).isEqualTo(404);
            assertThat(missing.text()).contains("manifest unknown");
        }
        assertThat(call("GET", "/distribution/Bad/json", Map.of(), null).status()).isEqualTo(400);
    }

    /** A blob into the registry: POST a session, PUT the bytes with their digest. */
    private static void upload(DockerRegistryProcess registry, String repo, byte[] blob) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(registry.uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(202);
        String location = post.headers().firstValue("Location").orElseThrow();
        java.net.URI target = registry.uri("/").resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + Digest.sha256(blob));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(target).PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }
}
