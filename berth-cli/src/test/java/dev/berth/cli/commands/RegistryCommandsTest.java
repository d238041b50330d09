package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.FakeDaemon;
import dev.berth.client.FakeDaemon.Reply;
import dev.berth.client.FakeDaemon.Seen;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pull, push, login, logout and run's pulling: the requests docker sends and what it prints, against a scripted daemon. */
class RegistryCommandsTest {
    private static final String PULL_STREAM = """
            {"status":"Pulling from x","id":"1"}
            {"status":"Pulling fs layer","progressDetail":{},"id":"21d44332c031"}
            {"status":"Downloading","progressDetail":{"current":100,"total":200},"progress":"[=>  ]","id":"21d44332c031"}
            {"status":"Pull complete","progressDetail":{},"id":"21d44332c031"}
            {"status":"Digest: sha256:0dada18bad63e6197aabfa4a5911b013a0aa22f847d165e319dd027ebe65ec9d"}
            {"status":"Status: Downloaded newer image for 127.0.0.1:5000/x:1"}
            """;

    @TempDir
    Path dir;

    private FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = FakeDaemon.unix(dir.resolve("d.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private TestCli cli() {
        return new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"))
                .env("DOCKER_CONFIG", dir.resolve("cfg").toString());
    }

    private static String query(Seen seen) {
        return seen.query() == null ? "" : URLDecoder.decode(seen.query(), StandardCharsets.UTF_8);
    }

    private static String auth(Seen seen) {
        return new String(Base64.getUrlDecoder().decode(seen.headers().get("X-Registry-Auth")), StandardCharsets.UTF_8);
    }

    private Seen only(String method, String path) {
        List<Seen> matching = daemon.seen().stream().filter(s -> s.method().equals(method) && s.path().equals(path))
                .toList();
        assertThat(matching).hasSize(1);
        return matching.getFirst();
    }

    private void login(String server, String user, String password) throws Exception {
        Files.createDirectories(dir.resolve("cfg"));
        Files.writeString(dir.resolve("cfg/config.json"), "{\"auths\":{\"" + server + "\":{\"auth\":\"" + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    }

    @Test
    void pullSendsTheStoredLoginAndPrintsStepsThenTheReference() throws Exception {
        login("127.0.0.1:5000", "u", "pw");
        daemon.on("POST /v1.47/images/create", Reply.bytes("application/json", PULL_STREAM.getBytes(StandardCharsets.UTF_8)));
        TestCli.Result r = cli().run("pull", "127.0.0.1:5000/x:1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                1: Pulling from x
                21d44332c031: Pulling fs layer
                21d44332c031: Pull complete
                Digest: sha256:0dada18bad63e6197aabfa4a5911b013a0aa22f847d165e319dd027ebe65ec9d
                Status: Downloaded newer image for 127.0.0.1:5000/x:1
                127.0.0.1:5000/x:1
                """);
        Seen seen = daemon.last();
        assertThat(query(seen)).isEqualTo("fromImage=127.0.0.1:5000/x&tag=1");
        assertThat(auth(seen)).isEqualTo("{\"username\":\"u\",\"password\":\"pw\",\"serveraddress\":\"127.0.0.1:5000\"}");
    }

    @Test
    void pullDefaultsTheTagAndKnowsDockerHubsKey() throws Exception {
        login("https://index.docker.io/v1/", "hub", "secret");
        daemon.on("POST /v1.47/images/create", Reply.bytes("application/json", new byte[0]));
        TestCli.Result r = cli().run("pull", "--platform", "Linux/AMD64", "busybox");
        assertThat(r.out()).isEqualTo("Using default tag: latest\ndocker.io/library/busybox:latest\n");
        assertThat(query(daemon.last())).isEqualTo("fromImage=busybox&platform=linux/amd64&tag=latest");
        assertThat(auth(daemon.last())).contains("\"username\":\"hub\"");

        TestCli.Result all = cli().run("pull", "-a", "-q", "ns/img");
        assertThat(all.out()).isEqualTo("docker.io/ns/img\n");
        assertThat(query(daemon.last())).isEqualTo("fromImage=ns/img");
        assertThat(auth(daemon.last())).contains("\"serveraddress\":\"https://index.docker.io/v1/\"");
        TestCli.Result other = cli().run("pull", "-q", "127.0.0.1:5000/img:1");
        assertThat(other.out()).isEqualTo("127.0.0.1:5000/img:1\n");
        assertThat(auth(daemon.last())).isEqualTo("{}"); // no login for that registry
    }

    @Test
    void pullRefusesWhatDockerRefuses() {
        TestCli.Result tagAll = cli().run("pull", "-a", "x:1");
        assertThat(tagAll.status()).isEqualTo(1);
        assertThat(tagAll.err()).isEqualTo("tag can't be used with --all-tags/-a\n");
        TestCli.Result bad = cli().run("pull", "x::1");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("invalid reference format\n");
        assertThat(daemon.seen().stream().filter(s -> s.path().contains("images"))).isEmpty();
    }

    @Test
    void aDaemonErrorBeforeTheStreamAndOneInsideIt() {
        daemon.on("POST /v1.47/images/create", Reply.error(404,
                "manifest for 127.0.0.1:5000/y:latest not found: manifest unknown: manifest unknown"));
        TestCli.Result before = cli().run("pull", "127.0.0.1:5000/y");
        assertThat(before.status()).isEqualTo(1);
        assertThat(before.out()).isEqualTo("Using default tag: latest\n");
        assertThat(before.err()).isEqualTo("Error response from daemon: manifest for 127.0.0.1:5000/y:latest not found: "
                + "manifest unknown: manifest unknown\n");
        daemon.on("POST /v1.47/images/create", Reply.bytes("application/json", """
                {"status":"Pulling from y","id":"1"}
                {"errorDetail":{"message":"digest mismatch"},"error":"digest mismatch"}
                """.getBytes(StandardCharsets.UTF_8)));
        TestCli.Result inside = cli().run("pull", "127.0.0.1:5000/y:1");
        assertThat(inside.status()).isEqualTo(1);
        assertThat(inside.out()).isEqualTo("1: Pulling from y\n");
        assertThat(inside.err()).isEqualTo("digest mismatch\n");
    }

    @Test
    void pushSendsTheNameInThePathAndAlwaysAHeader() {
        daemon.on("POST /v1.47/images/127.0.0.1:5000/ns/x/push", Reply.bytes("application/json", """
                {"status":"The push refers to repository [127.0.0.1:5000/ns/x]"}
                {"status":"Preparing","progressDetail":{},"id":"f5297cd33868"}
                {"status":"Pushing","progressDetail":{"current":10,"total":20},"progress":"[>]","id":"f5297cd33868"}
                {"status":"Pushed","progressDetail":{},"id":"f5297cd33868"}
                {"status":"2: digest: sha256:0dad size: 527"}
                {"progressDetail":{},"aux":{"Tag":"2","Digest":"sha256:0dad","Size":527}}
                """.getBytes(StandardCharsets.UTF_8)));
        TestCli.Result r = cli().run("push", "127.0.0.1:5000/ns/x:2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                The push refers to repository [127.0.0.1:5000/ns/x]
                f5297cd33868: Preparing
                f5297cd33868: Pushed
                2: digest: sha256:0dad size: 527
                """);
        assertThat(query(daemon.last())).isEqualTo("tag=2");
        assertThat(daemon.last().headers().get("X-Registry-Auth")).isEqualTo("e30=");

        TestCli.Result quiet = cli().run("image", "push", "-q", "127.0.0.1:5000/ns/x");
        assertThat(quiet.out()).isEqualTo("127.0.0.1:5000/ns/x:latest\n");
        assertThat(query(daemon.last())).isEqualTo("tag=latest");
        TestCli.Result all = cli().run("push", "--all-tags", "127.0.0.1:5000/ns/x");
        assertThat(all.status()).isZero();
        assertThat(query(daemon.last())).isEmpty();
        TestCli.Result digest = cli().run("push", "127.0.0.1:5000/ns/x@sha256:" + "a".repeat(64));
        assertThat(digest.err()).isEqualTo("cannot push a digest reference\n");
    }

    @Test
    void loginAsksTheDaemonThenStoresTheLoginWithDockersWarning() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        daemon.on("POST /v1.47/auth", seen -> {
            calls.incrementAndGet();
            return seen.bodyText().contains("\"password\":\"pw\"")
                    ? Reply.json(200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}")
                    : Reply.error(401, "login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized");
        });
        TestCli.Result r = cli().stdin("pw\n".getBytes(StandardCharsets.UTF_8))
                .run("login", "-u", "u", "--password-stdin", "http://127.0.0.1:5000/v2/");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Login Succeeded\n");
        Path file = dir.resolve("cfg/config.json");
        assertThat(r.err()).isEqualTo("\nWARNING! Your credentials are stored unencrypted in '" + file + "'.\n"
                + "Configure a credential helper to remove this warning. See\n"
                + "https://docs.docker.com/go/credential-store/\n\n");
        assertThat(daemon.last().bodyText()).isEqualTo(
                "{\"username\":\"u\",\"password\":\"pw\",\"serveraddress\":\"127.0.0.1:5000\"}");
        assertThat(Files.readString(file)).contains("\"127.0.0.1:5000\": {\n\t\t\t\"auth\": \"dTpwdw==\"");

        TestCli.Result again = cli().run("login", "127.0.0.1:5000");
        assertThat(again.status()).isZero();
        assertThat(again.err()).startsWith("Authenticating with existing credentials... [Username: u]\n")
                .doesNotContain("WARNING");

        TestCli.Result wrong = cli().run("login", "-u", "u", "-p", "bad", "127.0.0.1:5000");
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err()).isEqualTo("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"
                + "Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 "
                + "Unauthorized\n");
        assertThat(Files.readString(file)).contains("dTpwdw=="); // a refused login changes nothing
    }

    @Test
    void loginRefusesBadFlagsBeforeAskingAnything() {
        TestCli.Result both = cli().run("login", "-u", "u", "-p", "x", "--password-stdin", "h");
        assertThat(both.err()).isEqualTo("conflicting options: cannot specify both --password and --password-stdin\n");
        TestCli.Result noUser = cli().run("login", "--password-stdin", "h");
        assertThat(noUser.err()).isEqualTo("the --password-stdin option requires --username to be set\n");
        TestCli.Result noTty = cli().run("login", "-u", "u", "h");
        assertThat(noTty.err()).isEqualTo("Error: Cannot perform an interactive login from a non TTY device\n");
        assertThat(List.of(both.status(), noUser.status(), noTty.status())).containsOnly(1);
        assertThat(daemon.seen().stream().filter(s -> s.path().endsWith("/auth"))).isEmpty();
    }

    @Test
    void anIdentityTokenIsKeptInsteadOfThePassword() throws Exception {
        daemon.on("POST /v1.47/auth", Reply.json(200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"tok\"}"));
        TestCli.Result r = cli().run("login", "-u", "u", "-p", "pw", "reg.example");
        assertThat(r.status()).isZero();
        assertThat(r.err()).doesNotContain("stored unencrypted");
        String saved = Files.readString(dir.resolve("cfg/config.json"));
        assertThat(saved).contains("\"identitytoken\": \"tok\"").contains("\"auth\": \"dTo=\"");
    }

    @Test
    void logoutForgetsEverySpellingOfTheRegistry() throws Exception {
        Files.createDirectories(dir.resolve("cfg"));
        Files.writeString(dir.resolve("cfg/config.json"), """
                {"auths":{"h:1":{"auth":"dTpw"},"https://h:1":{"auth":"dTpw"},"other":{"auth":"dTpw"}}}""");
        TestCli.Result r = cli().run("logout", "http://h:1/v2/");
        assertThat(r.out()).isEqualTo("Removing login credentials for h:1\n");
        assertThat(Files.readString(dir.resolve("cfg/config.json"))).doesNotContain("h:1").contains("other");
        TestCli.Result hub = cli().run("logout");
        assertThat(hub.out()).isEqualTo("Removing login credentials for https://index.docker.io/v1/\n");
        assertThat(hub.status()).isZero();
    }

    @Test
    void runPullsAMissingImageOnStderrThenCreates() throws Exception {
        AtomicInteger creates = new AtomicInteger();
        daemon.on("POST /v1.47/containers/create", seen -> creates.incrementAndGet() == 1
                ? Reply.error(404, "No such image: 127.0.0.1:5000/x:latest")
                : Reply.json(201, "{\"Id\":\"abc\",\"Warnings\":[]}"));
        daemon.on("POST /v1.47/images/create", Reply.bytes("application/json", PULL_STREAM.getBytes(StandardCharsets.UTF_8)));
        TestCli.Result r = cli().run("create", "--platform", "linux/amd64", "127.0.0.1:5000/x");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("abc\n");
        assertThat(r.err()).startsWith("Unable to find image '127.0.0.1:5000/x:latest' locally\n1: Pulling from x\n")
                .endsWith("Status: Downloaded newer image for 127.0.0.1:5000/x:1\n");
        assertThat(query(only("POST", "/v1.47/images/create")))
                .isEqualTo("fromImage=127.0.0.1:5000/x&platform=linux/amd64&tag=latest");
        assertThat(query(daemon.last())).isEqualTo("platform=linux/amd64");
    }

    @Test
    void pullPoliciesAlwaysNeverAndQuiet() {
        daemon.on("POST /v1.47/containers/create", Reply.error(404, "No such image: x:latest"));
        daemon.on("POST /v1.47/images/create", Reply.bytes("application/json", PULL_STREAM.getBytes(StandardCharsets.UTF_8)));
        TestCli.Result never = cli().run("create", "--pull", "never", "x");
        assertThat(never.status()).isEqualTo(1);
        assertThat(never.err()).isEqualTo("Error response from daemon: No such image: x:latest\n");
        assertThat(daemon.seen().stream().filter(s -> s.path().endsWith("/images/create"))).isEmpty();

        daemon.on("POST /v1.47/containers/create", Reply.json(201, "{\"Id\":\"abc\",\"Warnings\":[]}"));
        TestCli.Result always = cli().run("create", "--pull=always", "-q", "x");
        assertThat(always.status()).as(always.err()).isZero();
        assertThat(always.err()).isEmpty();
        assertThat(query(only("POST", "/v1.47/images/create"))).isEqualTo("fromImage=x&tag=latest");

        TestCli.Result bad = cli().run("run", "--pull", "sometimes", "x");
        assertThat(bad.status()).isEqualTo(125);
        assertThat(bad.err()).startsWith("berth: invalid pull option: 'sometimes': must be one of \"always\", \"missing\" "
                + "or \"never\"");
    }

    @Test
    void aDaemonAsking401GetsOneTryWithTypedCredentials() {
        daemon.on("POST /v1.47/images/create", seen -> seen.headers().get("X-Registry-Auth").equals("e30=")
                ? Reply.error(401, "unauthorized: authentication required")
                : Reply.bytes("application/json", PULL_STREAM.getBytes(StandardCharsets.UTF_8)));
        TestCli.Result noTty = cli().run("pull", "127.0.0.1:5000/x:1");
        assertThat(noTty.status()).isEqualTo(1);
        assertThat(noTty.out()).isEqualTo("\nLogin prior to pull:\n");
        assertThat(noTty.err()).isEqualTo("Error: Cannot perform an interactive login from a non TTY device\n");

        TestCli.Result typed = cli().terminal(true).stdin("u\npw\n".getBytes(StandardCharsets.UTF_8))
                .run("pull", "127.0.0.1:5000/x:1");
        assertThat(typed.status()).as(typed.err()).isZero();
        assertThat(typed.out()).startsWith("\nLogin prior to pull:\nUsername: Password: \n").endsWith("127.0.0.1:5000/x:1\n");
        assertThat(auth(daemon.last())).isEqualTo("{\"username\":\"u\",\"password\":\"pw\",\"serveraddress\":\"127.0.0.1:5000\"}");
        assertThat(Files.exists(dir.resolve("cfg/config.json"))).isFalse(); // typed for one pull, not stored
    }
}
