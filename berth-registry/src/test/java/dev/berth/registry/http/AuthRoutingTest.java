package dev.berth.registry.http;

import static dev.berth.registry.http.TestRegistry.errorCode;
import static dev.berth.registry.http.TestRegistry.randomBytes;
import static dev.berth.registry.http.TestRegistry.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.auth.Access;
import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.RegistryAuth;
import dev.berth.registry.auth.TokenEndpoint;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP layer asks {@link RegistryAuth} for each endpoint, and how it sends a refusal:
 * against a fake auth with three callers (none, a reader, a writer) that records every question.
 */
class AuthRoutingTest {
    private static final String WRITER = "Bearer writer";
    private static final String READER = "Bearer reader";
    private static final String CHALLENGE = "Bearer realm=\"http://127.0.0.1/token\",service=\"test\"";

    @TempDir
    Path dir;
    TestRegistry registry;
    final List<List<String>> asked = new CopyOnWriteArrayList<>();
    final List<TokenEndpoint.TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();

    /** Anonymous: nothing; reader: pull everywhere; writer: everything. */
    final class FakeAuth implements RegistryAuth {
        @Override
        public AuthDecision authorize(String authorization, List<Access> wanted) {
            asked.add(wanted.stream().map(Access::scope).toList());
            if (authorization == null) {
                String scope = wanted.isEmpty() ? "" : ",scope=\"" + wanted.getFirst().scope() + "\"";
                return new AuthDecision.Refused(ErrorCode.UNAUTHORIZED, "authentication required", CHALLENGE + scope);
            }
            if (authorization.equals(WRITER)) {
                return new AuthDecision.Granted("writer");
            }
            if (authorization.equals(READER) && wanted.stream().allMatch(a -> a.actions().equals(java.util.Set.of("pull")))) {
                return new AuthDecision.Granted("reader");
            }
            return new AuthDecision.Refused(ErrorCode.DENIED, "requested access to the resource is denied", null);
        }

        @Override
        public Optional<TokenEndpoint> tokenEndpoint() {
            return Optional.of(new TokenEndpoint() {
                @Override
                public String path() {
                    return "/token";
                }

                @Override
                public TokenResponse issue(TokenRequest request) {
                    tokenRequests.add(request);
                    return new TokenResponse(200, "{\"token\":\"t\"}", null);
                }
            });
        }
    }

    @BeforeEach
    void start() {
        registry = new TestRegistry(new InMemoryRegistryStore(dir), new FakeAuth(), ServerLimits.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void anonymousRequestsGet401WithTheChallenge() {
        HttpResponse<byte[]> base = registry.get("/v2/");
        assertThat(base.statusCode()).isEqualTo(401);
        assertThat(errorCode(base)).isEqualTo("UNAUTHORIZED");
        assertThat(base.headers().firstValue("WWW-Authenticate")).hasValue(CHALLENGE);
        assertThat(base.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");

        HttpResponse<byte[]> manifest = registry.get("/v2/a/b/manifests/latest");
        assertThat(manifest.statusCode()).isEqualTo(401);
        assertThat(manifest.headers().firstValue("WWW-Authenticate")).hasValue(CHALLENGE + ",scope=\"repository:a/b:pull\"");
        assertThat(registry.head("/v2/a/b/blobs/" + Digest.sha256(new byte[0])).statusCode()).isEqualTo(401);
    }

    @Test
    void aKnownUserWithoutThePermissionGets403Denied() {
        HttpResponse<byte[]> push = registry.send("POST", "/v2/a/b/blobs/uploads/", null, "Authorization", READER);
        assertThat(push.statusCode()).isEqualTo(403);
        assertThat(errorCode(push)).isEqualTo("DENIED");
        assertThat(push.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(registry.get("/v2/", "Authorization", READER).statusCode()).isEqualTo(200);
    }

    @Test
    void eachEndpointAsksForWhatItDoes() {
        Digest digest = Digest.sha256(randomBytes(3));
        String[][] cases = {
                {"GET", "/v2/", ""},
                {"GET", "/v2/_catalog", "registry:catalog:*"},
                {"GET", "/v2/x/y/manifests/latest", "repository:x/y:pull"},
                {"HEAD", "/v2/x/y/manifests/latest", "repository:x/y:pull"},
                {"PUT", "/v2/x/y/manifests/latest", "repository:x/y:pull,push"},
                {"DELETE", "/v2/x/y/manifests/latest", "repository:x/y:delete"},
                {"GET", "/v2/x/y/blobs/" + digest, "repository:x/y:pull"},
                {"DELETE", "/v2/x/y/blobs/" + digest, "repository:x/y:delete"},
                {"POST", "/v2/x/y/blobs/uploads/", "repository:x/y:pull,push"},
                {"PATCH", "/v2/x/y/blobs/uploads/abc", "repository:x/y:pull,push"},
                {"PUT", "/v2/x/y/blobs/uploads/abc", "repository:x/y:pull,push"},
                {"GET", "/v2/x/y/blobs/uploads/abc", "repository:x/y:pull,push"},
                {"DELETE", "/v2/x/y/blobs/uploads/abc", "repository:x/y:pull,push"},
                {"GET", "/v2/x/y/tags/list", "repository:x/y:pull"},
                {"GET", "/v2/x/y/referrers/" + digest, "repository:x/y:pull"},
        };
        for (String[] c : cases) {
            asked.clear();
            HttpResponse<byte[]> r = registry.send(c[0], c[1], null);
            assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(401);
            assertThat(asked).as(c[0] + " " + c[1]).containsExactly(c[2].isEmpty() ? List.of() : List.of(c[2]));
        }
    }

    @Test
    void aMountNeedsPullOnTheSource() {
        Digest digest = registry.pushBlob("src/repo", randomBytes(50), WRITER);
        asked.clear();
        HttpResponse<byte[]> mounted = registry.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + digest + "&from=src/repo",
                null, "Authorization", WRITER);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(asked).containsExactly(List.of("repository:dst/repo:pull,push"), List.of("repository:src/repo:pull"));
    }

    @Test
    void aRefusedMountAsksForPullOnTheSourceToo() {
        Digest digest = registry.pushBlob("src/repo", randomBytes(50), WRITER);
        asked.clear();
        HttpResponse<byte[]> refused = registry.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + digest + "&from=src/repo", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(asked).last().isEqualTo(List.of("repository:dst/repo:pull,push", "repository:src/repo:pull"));
    }

    @Test
    void aMountFromARepositoryTheCallerMayNotReadIsAnOrdinaryUpload() {
        Digest digest = registry.pushBlob("src/repo", randomBytes(50), WRITER);
        RegistryAuth writerOnlyForDst = (authorization, wanted) ->
                wanted.stream().allMatch(a -> a.name().equals("dst/repo"))
                        ? new AuthDecision.Granted("w")
                        : new AuthDecision.Refused(ErrorCode.DENIED, "denied", null);
        try (TestRegistry other = new TestRegistry(registry.store, writerOnlyForDst, ServerLimits.defaults())) {
            HttpResponse<byte[]> r = other.send("POST", "/v2/dst/repo/blobs/uploads/?mount=" + digest + "&from=src/repo", null);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(other.head("/v2/dst/repo/blobs/" + digest).statusCode()).isEqualTo(404);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theTokenEndpointGetsQueryAndFormParameters() {
        HttpResponse<byte[]> get = registry.get("/token?service=test&scope=repository:a:pull&scope=repository:b:push&account=u",
                "Authorization", "Basic dTpw");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(text(get)).isEqualTo("{\"token\":\"t\"}");
        assertThat(get.headers().firstValue("Cache-Control")).hasValue("no-store");
        TokenEndpoint.TokenRequest first = tokenRequests.getFirst();
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.authorization()).isEqualTo("Basic dTpw");
        assertThat(first.params().get("scope")).containsExactly("repository:a:pull", "repository:b:push");
        assertThat(first.params().get("account")).containsExactly("u");

        HttpResponse<byte[]> post = registry.send("POST", "/token",
                "grant_type=password&username=u&password=p%26q&service=test".getBytes(),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(post.statusCode()).isEqualTo(200);
        TokenEndpoint.TokenRequest second = tokenRequests.get(1);
        assertThat(second.method()).isEqualTo("POST");
        assertThat(second.authorization()).isNull();
        assertThat(second.params().get("password")).containsExactly("p&q");
        assertThat(second.params().get("grant_type")).containsExactly("password");
    }
}
