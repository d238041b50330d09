package dev.berth.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.testing.RawHttp;
import dev.berth.image.registry.DockerRegistryProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/berthd and Debian's docker-registry on 127.0.0.1, driven by the real docker CLIs (28.x
 * first on PATH, 20.10 at /usr/bin/docker): push, pull, run of an image not yet here (the CLI
 * pulls it), login/logout against an htpasswd registry and push/pull with the stored login. The
 * CLIs keep their config.json in a temp dir (DOCKER_CONFIG), never the host's.
 */
class DistributionCliIT {
    private Path dir;
    private Process daemon;
    private final List<DockerRegistryProcess> registries = new ArrayList<>();

    record Result(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void startDaemon() throws Exception {
        Path berthd = Path.of(System.getProperty("berth.repo", "."), "bin", "berthd").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(berthd), "bin/berthd not found at " + berthd);
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "layer unpack needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/local/bin/docker")), "no docker CLI 28 at /usr/local/bin/docker");
        Assumptions.assumeTrue(DockerRegistryProcess.available(), "no Debian docker-registry at " + DockerRegistryProcess.BINARY);
        dir = Path.of("/tmp/berth-distribution-it-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(dir.resolve("none.json"), "{}");
        daemon = new ProcessBuilder(berthd.toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "-H", "unix://" + socket(), "--bridge=none",
                "--config-file", dir.resolve("none.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("berthd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // up once it answers a ping: the socket file appears a moment before connections are accepted
        while (!answers()) {
            assertThat(daemon.isAlive()).as("berthd exited: " + Files.readString(dir.resolve("berthd.log"))).isTrue();
            assertThat(System.nanoTime()).as("berthd did not listen").isLessThan(deadline);
            Thread.sleep(50);
        }
        RawHttp.Response boot = RawHttp.call(socket(), "POST", "/berth/images/bootstrap?name=busybox");
        assertThat(boot.text()).contains("Loaded image: busybox:latest");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (DockerRegistryProcess r : registries) {
            r.close();
        }
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        if (dir != null) {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir.toString())) {
                    new ProcessBuilder("umount", "-l", point).inheritIO().start().onExit().join();
                }
            }
            dev.berth.image.io.FileTrees.deleteQuietly(dir);
        }
    }

    private boolean answers() {
        try {
            return Files.exists(socket()) && RawHttp.call(socket(), "GET", "/_ping").status() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private Path socket() {
        return dir.resolve("berth.sock");
    }

    private DockerRegistryProcess registry(String user, String password) throws Exception {
        DockerRegistryProcess r = DockerRegistryProcess.start(user, password);
        registries.add(r);
        return r;
    }

    private Result docker(String... args) throws Exception {
        return cli("/usr/local/bin/docker", args);
    }

    private Result docker2010(String... args) throws Exception {
        return cli("/usr/bin/docker", args);
    }

    private Result cli(String docker, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(docker, "-H", "unix://" + socket()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        builder.environment().remove("DOCKER_HOST");
        // output to files and a deadline: a CLI that waits for input (a login prompt) must not hang the test
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = builder.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", argv) + " did not finish in 180 s:\n" + Files.readString(out)
                    + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private String ok(Result r) {
        assertThat(r.code()).as(r.all()).isZero();
        return r.out();
    }

    @Test
    void pushPullAndRunWithBothClis() throws Exception {
        DockerRegistryProcess registry = registry(null, null);
        String repo = registry.domain() + "/bb";
        ok(docker("tag", "busybox", repo + ":1"));

        String pushed = ok(docker("push", repo + ":1"));
        assertThat(pushed).contains("The push refers to repository [" + repo + "]", "Pushed", "1: digest: sha256:");
        String digest = pushed.lines().filter(l -> l.startsWith("1: digest: ")).findFirst().orElseThrow().split(" ")[2];
        assertThat(ok(docker("push", repo + ":1"))).contains("Layer already exists", "1: digest: " + digest);

        // the image leaves this daemon altogether (both its names), so the pull downloads its layer
        String id = ok(docker("image", "inspect", "-f", "{{.Id}}", "busybox"));
        ok(docker("rmi", repo + ":1", "busybox"));
        assertThat(docker("image", "inspect", repo + ":1").code()).isEqualTo(1);
        String pulled = ok(docker("pull", repo + ":1"));
        assertThat(pulled).contains("1: Pulling from bb", "Pull complete", "Digest: " + digest,
                "Status: Downloaded newer image for " + repo + ":1");
        assertThat(ok(docker("pull", repo + ":1"))).contains("Status: Image is up to date for " + repo + ":1");
        assertThat(ok(docker("image", "inspect", "-f", "{{json .RepoDigests}}", repo + ":1"))).contains(repo + "@" + digest);
        assertThat(ok(docker("image", "inspect", "-f", "{{.Id}}", repo + ":1"))).isEqualTo(id);
        ok(docker("tag", repo + ":1", "busybox"));

        // by digest, and with the older CLI
        ok(docker("rmi", repo + ":1"));
        assertThat(ok(docker2010("pull", repo + "@" + digest))).contains("Digest: " + digest);
        assertThat(ok(docker2010("pull", repo + ":1"))).contains("Status: Downloaded newer image for " + repo + ":1");

        ok(docker2010("tag", "busybox", repo + ":old"));
        assertThat(ok(docker2010("push", repo + ":old"))).contains("Layer already exists", "old: digest: " + digest);

        Result missing = docker("pull", repo + ":nope");
        assertThat(missing.code()).as(missing.all()).isEqualTo(1);
        assertThat(missing.err()).contains("Error response from daemon: manifest for " + repo + ":nope not found");

        // run of an image not here: the CLI asks to create, gets 404, pulls, creates again
        ok(docker("tag", "busybox", registry.domain() + "/runme:1"));
        ok(docker("push", registry.domain() + "/runme:1"));
        ok(docker("rmi", registry.domain() + "/runme:1"));
        Result run = docker("run", "--rm", registry.domain() + "/runme:1", "echo", "hello from the registry");
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.err()).contains("Unable to find image '" + registry.domain() + "/runme:1' locally");
        assertThat(run.out()).contains("hello from the registry");

        String events = ok(docker("events", "--since", "0", "--until", String.valueOf(System.currentTimeMillis() / 1000 + 1),
                "--filter", "type=image", "--format", "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}"));
        assertThat(events).contains("push " + repo + ":1 " + repo, "pull " + repo + ":1 " + repo);

        assertThat(ok(docker("info", "--format", "{{json .RegistryConfig.InsecureRegistryCIDRs}}"))).contains("127.0.0.0/8");
    }

    @Test
    void loginLogoutAndAuthenticatedPushPull() throws Exception {
        DockerRegistryProcess registry = registry("ann", "s3cret-pw");
        String repo = registry.domain() + "/private";
        ok(docker("tag", "busybox", repo + ":1"));

        Result refusedPush = docker("push", repo + ":1");
        assertThat(refusedPush.code()).as(refusedPush.all()).isNotZero();
        assertThat(refusedPush.err()).contains("no basic auth credentials"); // docker's client words

        Result wrong = docker("login", "-u", "ann", "-p", "nope", registry.domain());
        assertThat(wrong.code()).as(wrong.all()).isEqualTo(1);
        assertThat(wrong.err()).contains("Error response from daemon:");
        assertThat(Files.exists(dir.resolve("docker-config/config.json"))
                && Files.readString(dir.resolve("docker-config/config.json")).contains(registry.domain())).isFalse();

        Result login = docker("login", "-u", "ann", "-p", "s3cret-pw", registry.domain());
        assertThat(login.code()).as(login.all()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        assertThat(Files.readString(dir.resolve("docker-config/config.json"))).contains(registry.domain());

        assertThat(ok(docker("push", repo + ":1"))).contains("1: digest: sha256:");
        ok(docker("rmi", repo + ":1"));
        assertThat(ok(docker("pull", repo + ":1"))).contains("Status: Downloaded newer image for " + repo + ":1");
        ok(docker("rmi", repo + ":1"));
        assertThat(ok(docker2010("pull", repo + ":1"))).contains("Status: Downloaded newer image for " + repo + ":1");

        assertThat(ok(docker("logout", registry.domain()))).contains("Removing login credentials for " + registry.domain());
        ok(docker("rmi", repo + ":1"));
        // without the login the registry's refusal is a 500 before the stream, as dockerd 20.10
        // sends it (a 401 would start docker 28's "Login prior to pull" prompt, which waits on stdin)
        RawHttp.Response anonymous = RawHttp.call(socket(), "POST", "/v1.47/images/create?fromImage=" + repo + "&tag=1");
        assertThat(anonymous.status()).as(anonymous.text()).isEqualTo(500);
        assertThat(anonymous.text()).contains("/v2/private/manifests/1", "no basic auth credentials");
    }
}
