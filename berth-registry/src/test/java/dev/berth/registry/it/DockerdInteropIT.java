package dev.berth.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private dockerd (Debian's 20.10, its own data root, no bridge) pushes to and pulls from
 * {@code berth registry serve}: push, pull by tag after removing the image, the digest dockerd
 * printed is the repo digest it pulls, a second repository's push mounts or skips the layers.
 * dockerd treats 127.0.0.0/8 as insecure, so it speaks plain HTTP to 127.0.0.1:PORT. Root only.
 */
class DockerdInteropIT {
    @TempDir
    Path work;
    private Process dockerd;
    private Path dockerdDir;
    private String host;
    private RegistryProcess registry;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("dockerd") && Tools.onPath("docker"), "no dockerd and docker CLI to push with");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a private dockerd needs root");
        Assumptions.assumeTrue(Tools.onPath("skopeo"), "skopeo makes the docker-archive to load");
        registry = RegistryProcess.start(work);
        // a short path: the socket's must fit in sun_path
        Path d = Files.createTempDirectory("reghttp-dockerd");
        host = "unix://" + d.resolve("docker.sock");
        dockerd = new ProcessBuilder("dockerd", "--data-root", d.resolve("data").toString(), "--exec-root", d.resolve("exec").toString(),
                "-H", host, "--pidfile", d.resolve("docker.pid").toString(), "--bridge=none", "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
        dockerdDir = d;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(d.resolve("docker.sock")) && docker("version").status() == 0) {
                return;
            }
            if (!dockerd.isAlive()) {
                Assumptions.abort("dockerd exited:\n" + Files.readString(work.resolve("dockerd.log")));
            }
            Thread.sleep(200);
        }
        Assumptions.abort("dockerd did not come up in 60 s");
    }

    @AfterEach
    void stop() throws Exception {
        if (dockerd != null) {
            dockerd.destroy(); // SIGTERM to our own dockerd only
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
                dockerd.waitFor(10, TimeUnit.SECONDS);
            }
            Tools.run(work, Map.of(), List.of("rm", "-rf", dockerdDir.toString()));
        }
        if (registry != null) {
            registry.close();
        }
    }

    private Tools.Run docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "-H", host));
        command.addAll(List.of(args));
        // a config directory of our own: no credentials or settings of whoever runs the test
        return Tools.run(work, Map.of("DOCKER_CONFIG", work.resolve("docker-config").toString()), command);
    }

    private Tools.Run ok(String... args) throws Exception {
        Tools.Run r = docker(args);
        assertThat(r.status()).as("docker " + String.join(" ", args) + "\n" + r.all()).isZero();
        return r;
    }

    @Test
    void dockerPushesAndPullsBack() throws Exception {
        OciLayouts.Layout source = OciLayouts.write(work.resolve("src"), "1", 100_000, 3_000_000);
        Path archive = work.resolve("image.tar");
        Tools.Run made = Tools.run(work, Map.of(), List.of("skopeo", "--insecure-policy", "copy",
                "oci:" + source.dir() + ":1", "docker-archive:" + archive + ":berth-test/img:1"));
        assertThat(made.status()).as(made.all()).isZero();
        ok("load", "-i", archive.toString());
        String image = registry.address() + "/docker/img:1";
        ok("tag", "berth-test/img:1", image);

        Tools.Run push = ok("push", image);
        assertThat(push.out()).contains("1: digest: sha256:");
        String digest = push.out().replaceAll("(?s).*digest: (sha256:[0-9a-f]{64}).*", "$1");

        ok("rmi", image, "berth-test/img:1");
        Tools.Run pull = ok("pull", image);
        assertThat(pull.out()).contains("Digest: " + digest);
        String repoDigests = ok("image", "inspect", "--format", "{{json .RepoDigests}}", image).out();
        assertThat(repoDigests).contains(registry.address() + "/docker/img@" + digest);

        // the same layers into another repository: dockerd mounts them (or finds them there)
        String other = registry.address() + "/docker/other:1";
        ok("tag", image, other);
        Tools.Run second = ok("push", other);
        assertThat(second.out()).containsAnyOf("Mounted from docker/img", "Layer already exists");
        assertThat(second.out()).contains("digest: " + digest);

        // a second push of the same tag finds everything there
        assertThat(ok("push", image).out()).contains("Layer already exists");
    }

    @Test
    void pullingWhatIsNotThereFailsCleanly() throws Exception {
        Tools.Run r = docker("pull", registry.address() + "/docker/absent:1");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).containsIgnoringCase("not found");
    }
}
