package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.registry.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicAuthTest {
    private static final Access PULL = Access.repository("library/busybox", "pull");
    private static final Access PUSH = Access.repository("library/busybox", "pull", "push");
    private static final Access CATALOG = new Access("registry", "catalog", Set.of("*"));

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private RegistryAuth basicAuth(String htpasswd, String aclOrNull) throws Exception {
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, htpasswd);
        Path acl = null;
        if (aclOrNull != null) {
            acl = dir.resolve("acl");
            Files.writeString(acl, aclOrNull);
        }
        return RegistryAuths.create(new AuthOptions(users, "basic", "my realm", "svc", acl, null, Duration.ofMinutes(5)));
    }

    @Test
    void withoutAnAclEveryUserMayDoEverythingAndAnonymousNothing() throws Exception {
        RegistryAuth auth = basicAuth(Bcrypt.line("alice", "wonder"), null);
        assertThat(auth.authorize(basic("alice", "wonder"), List.of(PUSH, CATALOG))).isEqualTo(new AuthDecision.Granted("alice"));
        assertThat(auth.authorize(basic("alice", "wonder"), List.of())).isEqualTo(new AuthDecision.Granted("alice"));
        var anonymous = (AuthDecision.Refused) auth.authorize(null, List.of(PULL));
        assertThat(anonymous.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(anonymous.wwwAuthenticate()).isEqualTo("Basic realm=\"my realm\"");
        assertThat(anonymous.message()).isEqualTo("authentication required (library/busybox: pull)");
        assertThat(((AuthDecision.Refused) auth.authorize(null, List.of())).message()).isEqualTo("authentication required");
        assertThat(auth.tokenEndpoint()).isEmpty();
    }

    @Test
    void wrongPasswordsUnknownUsersAndOtherSchemesAre401() throws Exception {
        RegistryAuth auth = basicAuth(Bcrypt.line("alice", "wonder"), null);
        for (String header : new String[] {basic("alice", "Wonder"), basic("bob", "wonder"), "Basic", "Basic ***",
                "Bearer abc.def.ghi", "Digest x", ""}) {
            var d = (AuthDecision.Refused) auth.authorize(header, List.of(PULL));
            assertThat(d.code()).as(header).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(d.wwwAuthenticate()).startsWith("Basic ");
        }
    }

    @Test
    void theAclDecidesPerRepositoryAndAKnownUserWithoutRightsIsDenied() throws Exception {
        RegistryAuth auth = basicAuth(Bcrypt.line("alice", "wonder") + Bcrypt.line("bob", "builder"), """
                anonymous  public/*   pull
                *          library/*  pull
                alice      library/*  push,delete
                alice      registry:catalog *
                """);
        assertThat(auth.authorize(basic("alice", "wonder"), List.of(PUSH))).isEqualTo(new AuthDecision.Granted("alice"));
        assertThat(auth.authorize(basic("bob", "builder"), List.of(PULL))).isEqualTo(new AuthDecision.Granted("bob"));
        var denied = (AuthDecision.Refused) auth.authorize(basic("bob", "builder"), List.of(PUSH));
        assertThat(denied.code()).isEqualTo(ErrorCode.DENIED);
        assertThat(denied.code().status()).isEqualTo(403);
        assertThat(denied.message()).isEqualTo("requested access to the resource is denied (library/busybox: push)");
        assertThat(auth.authorize(basic("bob", "builder"), List.of(CATALOG))).isInstanceOf(AuthDecision.Refused.class);
        assertThat(auth.authorize(basic("alice", "wonder"), List.of(CATALOG))).isInstanceOf(AuthDecision.Granted.class);
        // anonymous pull where the ACL allows it, nothing else; GET /v2/ still asks to log in
        assertThat(auth.authorize(null, List.of(Access.repository("public/x", "pull")))).isEqualTo(new AuthDecision.Granted(""));
        assertThat(auth.authorize(null, List.of(Access.repository("public/x", "pull", "push")))).isInstanceOf(AuthDecision.Refused.class);
        assertThat(auth.authorize(null, List.of(PULL))).isInstanceOf(AuthDecision.Refused.class);
        assertThat(auth.authorize(null, List.of())).isInstanceOf(AuthDecision.Refused.class);
        // "Basic Og==" (an empty name and password) is how skopeo says it has no credentials
        assertThat(auth.authorize("Basic Og==", List.of(Access.repository("public/x", "pull")))).isEqualTo(new AuthDecision.Granted(""));
        assertThat(auth.authorize("Basic Og==", List.of(PULL))).isInstanceOf(AuthDecision.Refused.class);
        assertThat(auth.authorize(basic("", "x"), List.of(Access.repository("public/x", "pull")))).isInstanceOf(AuthDecision.Refused.class);
        // a mount needs pull on the source as well as push on the target
        assertThat(auth.authorize(basic("alice", "wonder"), List.of(PUSH, Access.repository("other/x", "pull"))))
                .isInstanceOf(AuthDecision.Refused.class);
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsTheLastGood() throws Exception {
        RegistryAuth auth = basicAuth(Bcrypt.line("alice", "wonder"), null);
        Path users = dir.resolve("htpasswd");
        replace(users, Bcrypt.line("alice", "wonder") + Bcrypt.line("carol", "sing"));
        assertThat(auth.authorize(basic("carol", "sing"), List.of(PULL))).isInstanceOf(AuthDecision.Granted.class);
        replace(users, "carol:$apr1$nope\n");
        assertThat(auth.authorize(basic("carol", "sing"), List.of(PULL))).isInstanceOf(AuthDecision.Granted.class);
        replace(users, Bcrypt.line("alice", "wonder"));
        assertThat(auth.authorize(basic("carol", "sing"), List.of(PULL))).isInstanceOf(AuthDecision.Refused.class);
        assertThat(auth.authorize(basic("alice", "wonder"), List.of(PULL))).isInstanceOf(AuthDecision.Granted.class);
        // a file gone for a moment (an editor's save, a careless rm) keeps the last good users
        Files.delete(users);
        assertThat(auth.authorize(basic("alice", "wonder"), List.of(PULL))).isInstanceOf(AuthDecision.Granted.class);
    }

    @Test
    void badConfigurationIsRefusedAtStart() throws Exception {
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, Bcrypt.line("alice", "a") + "bob:{SHA}abc\n");
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(users, "basic", "r", "s", null, null, Duration.ofMinutes(5))))
                .isInstanceOf(BerthException.class).hasMessageContaining("line 2");
        Files.writeString(users, Bcrypt.line("alice", "a"));
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(users, "digest", "r", "s", null, null, Duration.ofMinutes(5))))
                .hasMessageContaining("unknown auth mode");
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(users, "token", "berth registry", "s", null, null,
                Duration.ofMinutes(5)))).hasMessageContaining("token endpoint's URL");
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(users, "token", "http://h/token", "s", null, null,
                Duration.ofSeconds(30)))).hasMessageContaining("60 seconds");
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(dir.resolve("missing"), "basic", "r", "s", null, null,
                Duration.ofMinutes(5)))).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(null, "basic", "r", "s", users, null,
                Duration.ofMinutes(5)))).hasMessageContaining("needs an htpasswd");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "alice x fly\n");
        assertThatThrownBy(() -> RegistryAuths.create(new AuthOptions(users, "basic", "r", "s", acl, null,
                Duration.ofMinutes(5)))).hasMessageContaining("acl line 1");
        assertThat(RegistryAuths.create(AuthOptions.none()).authorize(null, List.of(PUSH))).isInstanceOf(AuthDecision.Granted.class);
    }

    @Test
    void aRealmWithoutAPathGetsTheDefaultTokenPath() throws Exception {
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, Bcrypt.line("alice", "a"));
        RegistryAuth auth = RegistryAuths.create(new AuthOptions(users, "token", "https://reg.example:5000/", "s", null, null,
                Duration.ofMinutes(5)));
        assertThat(auth.tokenEndpoint().orElseThrow().path()).isEqualTo("/token");
        assertThat(((AuthDecision.Refused) auth.authorize(null, List.of())).wwwAuthenticate())
                .startsWith("Bearer realm=\"https://reg.example:5000/token\"");
        RegistryAuth custom = RegistryAuths.create(new AuthOptions(users, "token", "https://reg.example/auth/issue", "s", null, null,
                Duration.ofMinutes(5)));
        assertThat(custom.tokenEndpoint().orElseThrow().path()).isEqualTo("/auth/issue");
    }

    private void replace(Path file, String content) throws Exception {
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
