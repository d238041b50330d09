package dev.berth.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.it.Tools.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code berth registry serve --htpasswd … --auth basic|token} against real clients: docker login,
 * push and pull through a private dockerd (with the login it stored: an identity token in token
 * mode, user:password in Basic mode), skopeo with credentials, and wrong passwords or missing
 * permissions refused.
 */
class RegistryAuthIT {
    private static final String ACL = """
            alice      **          *
            bob        **          pull
            anonymous  public/**   pull
            """;

    private static Path work;
    private static PrivateDockerd docker;
    private static RegistryProcess token;
    private static RegistryProcess basic;
    private static Path archive;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("berth-regauth-it-");
        Path htpasswd = work.resolve("htpasswd");
        Files.writeString(htpasswd, user("alice", "wonder land") + user("bob", "builder"));
        Path acl = work.resolve("acl");
        Files.writeString(acl, ACL);
        // token mode without --realm: serve makes it http://127.0.0.1:<port>/token itself
        token = RegistryProcess.start(Files.createDirectories(work.resolve("token")), "--htpasswd", htpasswd.toString(),
                "--acl", acl.toString(), "--auth", "token", "--service", "berth-it");
        basic = RegistryProcess.start(Files.createDirectories(work.resolve("basic")), "--htpasswd", htpasswd.toString(),
                "--acl", acl.toString(), "--auth", "basic", "--realm", "berth-it");
        archive = TinyImage.dockerArchive(work, "authit:1");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (docker != null) {
                docker.close();
            }
            if (token != null) {
                token.close();
            }
            if (basic != null) {
                basic.close();
            }
        } finally {
            Tools.deleteTree(work);
        }
    }

    private static String user(String name, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return name + ":" + OpenBSDBCrypt.generate("2y", password.getBytes(StandardCharsets.UTF_8), salt, 5) + "\n";
    }

    private static PrivateDockerd docker() throws Exception {
        if (docker == null) {
            docker = PrivateDockerd.start(Files.createDirectories(work.resolve("dockerd")));
            Run load = docker.docker("load", "-i", archive.toString());
            assertThat(load.status()).as(load.all()).isZero();
        }
        return docker;
    }

    @Test
    void dockerLoginPushAndPullInTokenMode() throws Exception {
        loginPushPull(token, true);
    }

    @Test
    void dockerLoginPushAndPullInBasicMode() throws Exception {
        loginPushPull(basic, false);
    }

    private void loginPushPull(RegistryProcess registry, boolean tokenMode) throws Exception {
        PrivateDockerd d = docker();
        String server = registry.address();
        String image = server + "/alice/app:1";

        Run wrong = d.dockerWithInput("not the password\n", "login", "-u", "alice", "--password-stdin", server);
        assertThat(wrong.status()).as(wrong.all()).isNotZero();
        assertThat(wrong.err()).containsIgnoringCase("unauthorized");
        assertThat(d.configJson()).doesNotContain(server);

        Run login = d.dockerWithInput("wonder land\n", "login", "-u", "alice", "--password-stdin", server);
        assertThat(login.status()).as(login.all()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        String config = d.configJson();
        assertThat(config).contains(server);
        if (tokenMode) {
            // dockerd asked for offline access: the CLI keeps the refresh token, not the password
            assertThat(config).contains("identitytoken").doesNotContain(base64("alice:wonder land"));
        } else {
            assertThat(config).contains(base64("alice:wonder land"));
        }

        assertThat(d.docker("tag", "authit:1", image).status()).isZero();
        Run push = d.docker("push", image);
        assertThat(push.status()).as(push.all()).isZero();
        assertThat(push.out()).contains("1: digest: sha256:");
        assertThat(d.docker("rmi", image).status()).isZero();
        Run pull = d.docker("pull", image);
        assertThat(pull.status()).as(pull.all()).isZero();
        assertThat(pull.out()).contains("Downloaded newer image for " + image);
        String publicImage = server + "/public/tools:1";
        assertThat(d.docker("tag", "authit:1", publicImage).status()).isZero();
        Run publicPush = d.docker("push", publicImage);
        assertThat(publicPush.status()).as(publicPush.all()).isZero();

        // bob may pull only
        Run bob = d.dockerWithInput("builder\n", "login", "-u", "bob", "--password-stdin", server);
        assertThat(bob.status()).as(bob.all()).isZero();
        Run bobPull = d.docker("pull", image);
        assertThat(bobPull.status()).as(bobPull.all()).isZero();
        String bobImage = server + "/bob/app:1";
        assertThat(d.docker("tag", "authit:1", bobImage).status()).isZero();
        Run bobPush = d.docker("push", bobImage);
        assertThat(bobPush.status()).as(bobPush.all()).isNotZero();
        // refused once, not retried: the message names what is missing, so docker sees a final DENIED
        assertThat(bobPush.err()).contains("denied: requested access to the resource is denied (bob/app: push)");
        assertThat(bobPush.out()).doesNotContain("Retrying");

        // logged out: nothing but public/** for anonymous
        assertThat(d.docker("logout", server).status()).isZero();
        assertThat(d.docker("rmi", image).status()).isZero();
        Run anonymous = d.docker("pull", image);
        assertThat(anonymous.status()).as(anonymous.all()).isNotZero();
        // dockerd's words: "no basic auth credentials" (Basic), "pull access denied … may require 'docker login'" (token)
        assertThat(anonymous.err()).containsAnyOf("no basic auth credentials", "docker login");
        assertThat(d.docker("rmi", publicImage).status()).isZero();
        Run anonymousPublic = d.docker("pull", publicImage);
        if (tokenMode) {
            // the ACL lets anonymous pull public/**: docker fetches an anonymous token and pulls
            assertThat(anonymousPublic.status()).as(anonymousPublic.all()).isZero();
        } else {
            // docker sends nothing to a Basic challenge without credentials (distribution's Basic
            // mode is the same): anonymous pulls with docker need token mode; skopeo and curl can
            assertThat(anonymousPublic.err()).contains("no basic auth credentials");
        }
    }

    @Test
    void skopeoCopiesWithCredentialsAndIsRefusedWithout() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("skopeo"), "no skopeo on PATH");
        for (RegistryProcess registry : List.of(token, basic)) {
            String dest = "docker://" + registry.address() + "/alice/skopeo:1";
            Run push = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder land",
                    "docker-archive:" + archive, dest);
            assertThat(push.status()).as(push.all()).isZero();

            // dir: keeps the manifest as the registry served it
            Path copy = work.resolve("dir-" + registry.port);
            Run pull = skopeo("copy", "--src-tls-verify=false", "--src-creds", "alice:wonder land", dest, "dir:" + copy);
            assertThat(pull.status()).as(pull.all()).isZero();
            Run raw = skopeo("inspect", "--tls-verify=false", "--creds", "bob:builder", "--raw", dest);
            assertThat(raw.status()).as(raw.all()).isZero();
            assertThat(TinyImage.sha256(raw.out().getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(TinyImage.sha256(Files.readAllBytes(copy.resolve("manifest.json"))));

            Run wrong = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:wrong",
                    "docker-archive:" + archive, "docker://" + registry.address() + "/alice/other:1");
            assertThat(wrong.status()).as(wrong.all()).isNotZero();
            assertThat(wrong.err()).containsIgnoringCase("unauthorized");
            Run denied = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "bob:builder",
                    "docker-archive:" + archive, "docker://" + registry.address() + "/bob/other:1");
            assertThat(denied.status()).as(denied.all()).isNotZero();
            Run anonymous = skopeo("inspect", "--tls-verify=false", "--no-creds", "--raw", dest);
            assertThat(anonymous.status()).as(anonymous.all()).isNotZero();
            String open = "docker://" + registry.address() + "/public/skopeo:1";
            assertThat(skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder land",
                    "docker-archive:" + archive, open).status()).isZero();
            Run anonymousPublic = skopeo("inspect", "--tls-verify=false", "--no-creds", "--raw", open);
            assertThat(anonymousPublic.status()).as(anonymousPublic.all()).isZero();
        }
    }

    private static Run skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(Arrays.asList(args));
        // a private auth file: skopeo never reads or writes the machine's logins
        return Tools.run(work, Map.of("REGISTRY_AUTH_FILE", work.resolve("skopeo-auth.json").toString()), command);
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
