package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.json.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.auth.TokenEndpoint.TokenRequest;
import dev.berth.registry.auth.TokenEndpoint.TokenResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthTest {
    private static final String REALM = "http://127.0.0.1:5999/token";
    private static final String SERVICE = "test-registry";
    private static final Access PULL = Access.repository("library/busybox", "pull");
    private static final Access PUSH = Access.repository("library/busybox", "pull", "push");

    @TempDir
    Path dir;
    Path htpasswd;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    RegistryAuth auth;
    TokenEndpoint endpoint;

    @BeforeEach
    void setUp() throws Exception {
        htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, Bcrypt.line("alice", "wonder") + Bcrypt.line("bob", "builder"));
        Path acl = dir.resolve("acl");
        Files.writeString(acl, """
                anonymous public/**  pull
                *         library/*  pull
                alice     **         *
                alice     registry:catalog *
                """);
        auth = RegistryAuths.create(new AuthOptions(htpasswd, "token", REALM, SERVICE, acl, null, Duration.ofMinutes(5)), clock);
        endpoint = auth.tokenEndpoint().orElseThrow();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private TokenResponse get(String authorization, String... params) {
        return endpoint.issue(new TokenRequest("GET", authorization, params(params)));
    }

    private TokenResponse post(String... params) {
        return endpoint.issue(new TokenRequest("POST", null, params(params)));
    }

    private static Map<String, List<String>> params(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(TokenResponse r) {
        return (Map<String, Object>) Json.parse(r.json());
    }

    private static String token(TokenResponse r) {
        assertThat(r.status()).as(r.json()).isEqualTo(200);
        return (String) body(r).get("access_token");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(String token) {
        return (Map<String, Object>) Json.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void withoutATokenTheChallengeSendsClientsToTheRealm() {
        var d = (AuthDecision.Refused) auth.authorize(null, List.of(PUSH));
        assertThat(d.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(d.wwwAuthenticate()).isEqualTo(
                "Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\",scope=\"repository:library/busybox:pull,push\"");
        var ping = (AuthDecision.Refused) auth.authorize(basic("alice", "wonder"), List.of());
        assertThat(ping.wwwAuthenticate()).isEqualTo("Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\"");
        assertThat(endpoint.path()).isEqualTo("/token");
    }

    @Test
    void dockerLoginsGetWithBasicGivesATokenAndARefreshToken() {
        TokenResponse r = get(basic("alice", "wonder"), "account", "alice", "client_id", "docker", "offline_token", "true",
                "service", SERVICE);
        Map<String, Object> body = body(r);
        assertThat(body.get("token")).isEqualTo(body.get("access_token"));
        assertThat(body).containsEntry("expires_in", 300L).containsEntry("issued_at", "2026-11-26T12:00:00Z");
        assertThat((String) body.get("refresh_token")).isNotEmpty();
        Map<String, Object> claims = claims((String) body.get("token"));
        assertThat(claims).containsEntry("iss", REALM).containsEntry("sub", "alice").containsEntry("aud", SERVICE)
                .containsEntry("iat", clock.instant().getEpochSecond()).containsEntry("nbf", clock.instant().getEpochSecond())
                .containsEntry("exp", clock.instant().getEpochSecond() + 300).containsKey("jti").containsEntry("access", List.of());
        // the token lets GET /v2/ through: docker login is done
        assertThat(auth.authorize("Bearer " + body.get("token"), List.of())).isEqualTo(new AuthDecision.Granted("alice"));
    }

    @Test
    void theTokenGrantsWhatTheAclAllowsAndCoversThoseRequests() {
        String t = token(get(basic("alice", "wonder"), "scope", "repository:library/busybox:pull,push", "service", SERVICE));
        assertThat(claims(t).get("access")).isEqualTo(List.of(Map.of("type", "repository", "name", "library/busybox",
                "actions", List.of("pull", "push"))));
        assertThat(auth.authorize("Bearer " + t, List.of(PUSH))).isEqualTo(new AuthDecision.Granted("alice"));
        assertThat(auth.authorize("bearer " + t, List.of(PULL))).isEqualTo(new AuthDecision.Granted("alice"));
        // another repository is not in the token
        var other = (AuthDecision.Refused) auth.authorize("Bearer " + t, List.of(Access.repository("other", "pull")));
        assertThat(other.code()).isEqualTo(ErrorCode.DENIED);
        assertThat(other.wwwAuthenticate()).contains("error=\"insufficient_scope\"");
    }

    @Test
    void askingForMoreThanTheAclAllowsGetsLessAndTheRequestIsDenied() {
        // bob may only pull library/*: he asks for push too (and delete somewhere else)
        TokenResponse r = get(basic("bob", "builder"), "scope", "repository:library/busybox:pull,push",
                "scope", "repository:alice/private:pull,delete", "scope", "registry:catalog:*");
        String t = token(r);
        assertThat(claims(t).get("access")).isEqualTo(List.of(Map.of("type", "repository", "name", "library/busybox",
                "actions", List.of("pull"))));
        assertThat(auth.authorize("Bearer " + t, List.of(PULL))).isEqualTo(new AuthDecision.Granted("bob"));
        var push = (AuthDecision.Refused) auth.authorize("Bearer " + t, List.of(PUSH));
        assertThat(push.code()).isEqualTo(ErrorCode.DENIED);
        assertThat(push.code().status()).isEqualTo(403);
        // what is missing, not the code's bare words (docker retries a bare DENIED five times)
        assertThat(push.message()).isEqualTo("requested access to the resource is denied (library/busybox: push)");
    }

    @Test
    void aTokenWhoseAccessWasEditedIsRefused() {
        String t = token(get(basic("bob", "builder"), "scope", "repository:library/busybox:pull"));
        // the genuine token verified (and remembered) first: its forged twin must not ride on that
        assertThat(auth.authorize("Bearer " + t, List.of(PULL))).isInstanceOf(AuthDecision.Granted.class);
        String[] p = t.split("\\.");
        Map<String, Object> claims = claims(t);
        claims.put("access", List.of(Map.of("type", "repository", "name", "library/busybox", "actions", List.of("pull", "push"))));
        String forged = p[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                Json.write(claims).getBytes(StandardCharsets.UTF_8)) + "." + p[2];
        var d = (AuthDecision.Refused) auth.authorize("Bearer " + forged, List.of(PUSH));
        assertThat(d.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(d.wwwAuthenticate()).contains("error=\"invalid_token\"");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String t = token(get(basic("alice", "wonder"), "scope", "repository:library/busybox:pull"));
        clock.advance(Duration.ofMinutes(4));
        assertThat(auth.authorize("Bearer " + t, List.of(PULL))).isInstanceOf(AuthDecision.Granted.class);
        clock.advance(Duration.ofMinutes(1));
        var d = (AuthDecision.Refused) auth.authorize("Bearer " + t, List.of(PULL));
        assertThat(d.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(d.wwwAuthenticate()).contains("invalid_token");
    }

    @Test
    void aTokenFromAnotherServiceOrIssuerIsRefused() throws Exception {
        String t = token(get(basic("alice", "wonder"), "scope", "repository:library/busybox:pull"));
        // the same user file, another registry: another key, so another kid
        RegistryAuth other = RegistryAuths.create(new AuthOptions(htpasswd, "token", REALM, "other", null, null,
                Duration.ofMinutes(5)), clock);
        assertThat(other.authorize("Bearer " + t, List.of(PULL))).isInstanceOf(AuthDecision.Refused.class);
        // the same key, another audience or issuer
        TokenKey key = TokenKey.generate();
        TokenIssuer ours = new TokenIssuer(key, REALM, SERVICE, Duration.ofMinutes(5), clock);
        String foreignAudience = new TokenIssuer(key, REALM, "other", Duration.ofMinutes(5), clock)
                .issueAccess("alice", List.of(PULL)).token();
        String foreignIssuer = new TokenIssuer(key, "http://elsewhere/token", SERVICE, Duration.ofMinutes(5), clock)
                .issueAccess("alice", List.of(PULL)).token();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ours.verifyAccess(foreignAudience)).hasMessageContaining("another service");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ours.verifyAccess(foreignIssuer)).hasMessageContaining("another issuer");
        assertThat(ours.verifyAccess(ours.issueAccess("alice", List.of(PULL)).token()).subject()).isEqualTo("alice");
    }

    @Test
    void aTokenFromTheFutureIsRefused() {
        TokenKey key = TokenKey.generate();
        MutableClock later = new MutableClock(clock.instant().plusSeconds(120));
        String t = new TokenIssuer(key, REALM, SERVICE, Duration.ofMinutes(5), later).issueAccess("a", List.of()).token();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new TokenIssuer(key, REALM, SERVICE, Duration.ofMinutes(5), clock).verifyAccess(t))
                .hasMessageContaining("not valid yet");
    }

    @Test
    void wrongPasswordsUnknownUsersAndMalformedHeadersGet401WithOneMessage() {
        for (String header : new String[] {basic("alice", "wrong"), basic("mallory", "wonder"), "Basic !!", "Bearer x"}) {
            TokenResponse r = get(header, "scope", "repository:library/busybox:pull");
            assertThat(r.status()).as(header).isEqualTo(401);
            assertThat(r.json()).contains("\"code\":\"UNAUTHORIZED\"").contains("incorrect username or password");
            assertThat(r.wwwAuthenticateOrNull()).startsWith("Basic realm=");
        }
    }

    @Test
    void anonymousGetsATokenWithOnlyWhatAnonymousMayDo() {
        assertThat(claims(token(get("Basic Og==", "scope", "repository:public/tools:pull")))).containsEntry("sub", "");
        TokenResponse r = get(null, "scope", "repository:public/tools:pull,push", "offline_token", "true");
        Map<String, Object> body = body(r);
        assertThat(body).doesNotContainKey("refresh_token");
        String t = (String) body.get("token");
        assertThat(claims(t)).containsEntry("sub", "");
        var tools = Access.repository("public/tools", "pull");
        assertThat(auth.authorize("Bearer " + t, List.of(tools))).isEqualTo(new AuthDecision.Granted(""));
        var push = (AuthDecision.Refused) auth.authorize("Bearer " + t, List.of(Access.repository("public/tools", "pull", "push")));
        assertThat(push.code()).isEqualTo(ErrorCode.UNAUTHORIZED); // anonymous: log in, rather than "denied"
        assertThat(push.wwwAuthenticate()).contains("insufficient_scope");
    }

    @Test
    void badRequestsAreRefusedWith400() {
        assertThat(get(basic("alice", "wonder"), "service", "someone-else").status()).isEqualTo(400);
        assertThat(get(basic("alice", "wonder"), "account", "bob").status()).isEqualTo(400);
        assertThat(get(null, "scope", "repository:library/busybox").status()).isEqualTo(400);
        assertThat(get(null, "scope", "repository:Library:pull").status()).isEqualTo(400);
        assertThat(get(null, "scope", ":x:pull").status()).isEqualTo(400);
        assertThat(get(null, "scope", "repository:x:pull;rm").status()).isEqualTo(400);
        String many = String.join(" ", java.util.Collections.nCopies(Scopes.MAX_SCOPES + 1, "repository:x:pull"));
        assertThat(get(null, "scope", many).status()).isEqualTo(400);
        assertThat(post("grant_type", "client_credentials").status()).isEqualTo(400);
        assertThat(post("grant_type", "refresh_token").status()).isEqualTo(400);
        assertThat(endpoint.issue(new TokenRequest("PUT", null, Map.of())).status()).isEqualTo(405);
        // a plugin scope or another type is not an error, it is just not granted
        assertThat(claims(token(get(basic("alice", "wonder"), "scope", "repository(plugin):x:pull"))).get("access"))
                .isEqualTo(List.of());
    }

    @Test
    void oauthPasswordGrantWithOfflineAccessAndThenTheRefreshGrant() {
        TokenResponse r = post("grant_type", "password", "username", "alice", "password", "wonder", "access_type", "offline",
                "client_id", "docker", "service", SERVICE, "scope", "repository:library/busybox:pull,push registry:catalog:*");
        Map<String, Object> body = body(r);
        assertThat(r.status()).isEqualTo(200);
        assertThat(body).containsEntry("token_type", "Bearer").containsEntry("expires_in", 300L)
                .containsEntry("scope", "repository:library/busybox:pull,push registry:catalog:*");
        String refresh = (String) body.get("refresh_token");
        assertThat(refresh).isNotEmpty();
        // docker keeps the refresh token as its identity token and trades it for access tokens
        TokenResponse again = post("grant_type", "refresh_token", "refresh_token", refresh, "service", SERVICE,
                "scope", "repository:library/busybox:push", "client_id", "docker");
        String t = token(again);
        assertThat(body(again)).doesNotContainKey("refresh_token");
        assertThat(claims(t)).containsEntry("sub", "alice");
        assertThat(auth.authorize("Bearer " + t, List.of(Access.repository("library/busybox", "push"))))
                .isEqualTo(new AuthDecision.Granted("alice"));
        // a refresh token is no access token, and the other way round
        assertThat(auth.authorize("Bearer " + refresh, List.of())).isInstanceOf(AuthDecision.Refused.class);
        assertThat(post("grant_type", "refresh_token", "refresh_token", t).status()).isEqualTo(401);
        // without access_type=offline: no refresh token
        assertThat(body(post("grant_type", "password", "username", "alice", "password", "wonder"))).doesNotContainKey("refresh_token");
        assertThat(post("grant_type", "password", "username", "alice", "password", "nope").status()).isEqualTo(401);
        assertThat(post("grant_type", "password", "username", "alice").status()).isEqualTo(401);
    }

    @Test
    void aRefreshTokenEndsWithAPasswordChangeOrItsLifetime() throws Exception {
        String refresh = (String) body(get(basic("bob", "builder"), "offline_token", "true")).get("refresh_token");
        assertThat(post("grant_type", "refresh_token", "refresh_token", refresh).status()).isEqualTo(200);
        clock.advance(TokenIssuer.REFRESH_TTL);
        assertThat(post("grant_type", "refresh_token", "refresh_token", refresh).status()).isEqualTo(401);
        clock.advance(TokenIssuer.REFRESH_TTL.negated());

        // a rewritten file (new inode, so the reload sees it even within the same mtime tick)
        Path next = dir.resolve("htpasswd.new");
        Files.writeString(next, Bcrypt.line("alice", "wonder") + Bcrypt.line("bob", "new password"));
        Files.move(next, htpasswd, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        TokenResponse r = post("grant_type", "refresh_token", "refresh_token", refresh);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).contains("changed");
        assertThat(get(basic("bob", "builder")).status()).isEqualTo(401);
        assertThat(get(basic("bob", "new password")).status()).isEqualTo(200);
    }

    @Test
    void theCatalogNeedsItsOwnGrant() {
        var catalog = new Access("registry", "catalog", Set.of("*"));
        String alice = token(get(basic("alice", "wonder"), "scope", "registry:catalog:*"));
        String bob = token(get(basic("bob", "builder"), "scope", "registry:catalog:*"));
        assertThat(auth.authorize("Bearer " + alice, List.of(catalog))).isInstanceOf(AuthDecision.Granted.class);
        assertThat(auth.authorize("Bearer " + bob, List.of(catalog))).isInstanceOf(AuthDecision.Refused.class);
    }

    @Test
    void coverageAddsEntriesUpAndStarHoldsAll() {
        assertThat(TokenAuth.covers(List.of(Access.repository("a", "pull"), Access.repository("a", "push")),
                List.of(Access.repository("a", "pull", "push")))).isTrue();
        assertThat(TokenAuth.covers(List.of(Access.repository("a", "*")), List.of(Access.repository("a", "delete")))).isTrue();
        assertThat(TokenAuth.covers(List.of(Access.repository("a", "pull")), List.of(Access.repository("ab", "pull")))).isFalse();
        assertThat(TokenAuth.covers(List.of(), List.of())).isTrue();
    }
}
