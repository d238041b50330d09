package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.store.Image;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What berth pushes, a real dockerd (Debian's 20.10, private: own data root and socket) pulls:
 * gzipped layers (one of several gzip members), a layer pushed plain (random bytes do not compress), a layer packed again from
 * its snapshot; the image dockerd ends up with has berth's image id. And berth mounts into a new
 * repository what it pushed to another. Skips without root, dockerd or docker-registry.
 */
class DockerdPullsWhatBerthPushesIT {
    static Path tmp;
    static Process dockerd;
    static String host;
    static DockerRegistryProcess registry;

    @TempDir
    Path root;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status"))).contains("\nUid:\t0\t"), "needs root to run dockerd");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dockerd")) && Files.isExecutable(Path.of("/usr/bin/docker")),
                "needs dockerd and the docker CLI (apt-get install docker.io)");
        assumeTrue(DockerRegistryProcess.available(), "needs Debian's docker-registry");
        registry = DockerRegistryProcess.start();
        tmp = Files.createTempDirectory(Path.of("/tmp"), "berth-push-dockerd-");
        host = "unix://" + tmp.resolve("docker.sock");
        dockerd = new ProcessBuilder("/usr/sbin/dockerd", "--data-root", tmp.resolve("data").toString(), "--exec-root",
                tmp.resolve("exec").toString(), "-H", host, "--pidfile", tmp.resolve("docker.pid").toString(),
                "--bridge=none", "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("dockerd.log").toFile()).start();
        for (int i = 0; i < 150; i++) {
            if (Files.exists(tmp.resolve("docker.sock")) && docker("version").exit == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("dockerd did not start: " + Files.readString(tmp.resolve("dockerd.log")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (dockerd != null) {
            dockerd.destroy();
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
            }
            new ProcessBuilder("umount", "-R", tmp.resolve("data").toString()).start().waitFor();
            new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void dockerdPullsEveryKindOfLayerBerthPushes() throws Exception {
        PushFixture fx = new PushFixture(root);
        Layer gz = fx.textLayer("stored-gzip", Kept.GZIP_BLOB);
        Layer text = fx.textLayer("gzipped-on-the-way", Kept.PLAIN_BLOB);
        Layer random = fx.randomLayer("sent-plain", 2 << 20, 5, Kept.PLAIN_BLOB);
        // over a MiB of binaries: with libdeflate, a gzip of several members, which dockerd reads through
        Layer members = fx.binariesLayer("several-members", 3 << 20, Kept.PLAIN_BLOB);
        String name = registry.domain() + "/interop:1";
        Image image = fx.image(List.of(name), gz, text, random, members);
        fx.pusher().push(Reference.parse(name), new Recorder());

        Result pull = docker("pull", name);
        assertThat(pull.exit).as(pull.out).isZero();
        assertThat(docker("image", "inspect", "--format", "{{.Id}}", name).out.strip()).isEqualTo(image.id().toString());

        PushFixture fx2 = new PushFixture(root.resolve("repacked"));
        Layer noBlob = fx2.textLayer("packed-again", Kept.NO_BLOB);
        String name2 = registry.domain() + "/interop-repacked:1";
        Image image2 = fx2.image(List.of(name2), noBlob);
        fx2.pusher().push(Reference.parse(name2), new Recorder());
        Result pull2 = docker("pull", name2);
        assertThat(pull2.exit).as(pull2.out).isZero();
        assertThat(docker("image", "inspect", "--format", "{{.Id}}", name2).out.strip()).isEqualTo(image2.id().toString());
    }

    @Test
    void dockerdFindsTheLayersBerthPushedAndMountsThem() throws Exception {
        PushFixture fx = new PushFixture(root);
        Layer a = fx.textLayer("for-mount", Kept.PLAIN_BLOB);
        String name = registry.domain() + "/berth-first:1";
        fx.image(List.of(name), a);
        fx.pusher().push(Reference.parse(name), new Recorder());
        assertThat(docker("pull", name).exit).isZero();

        // dockerd learnt on pull where the layer lives: its push to another repository mounts it
        String other = registry.domain() + "/docker-second:1";
        assertThat(docker("tag", name, other).exit).isZero();
        Result push = docker("push", other);
        assertThat(push.exit).as(push.out).isZero();
        assertThat(push.out).contains(a.diffId().shortHex() + ": Mounted from berth-first");
    }

    record Result(int exit, String out) {
    }

    static Result docker(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/docker", "-H", host));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        return new Result(p.waitFor(), new String(out, StandardCharsets.UTF_8));
    }
}
