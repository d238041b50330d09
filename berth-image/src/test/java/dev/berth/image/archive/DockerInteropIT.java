package dev.berth.image.archive;

import static dev.berth.image.archive.testing.Tars.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.archive.testing.MapRegistry;
import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.archive.testing.Tars;
import dev.berth.image.content.FileContentStore;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth's saves against a real dockerd (Debian's docker.io, 20.10): {@code docker load} must take
 * them and give the same image ids, and berth must load what that dockerd saves. The test starts
 * its own dockerd (own data root and socket) and stops it by pid; it skips without root, dockerd
 * or the docker CLI.
 */
class DockerInteropIT {
    static Path tmp;
    static Process dockerd;
    static String host;

    @TempDir
    Path root;

    @BeforeAll
    static void startDockerd() throws Exception {
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status"))).contains("\nUid:\t0\t"), "needs root to run dockerd");
        assumeTrue(onPath("dockerd") && onPath("docker"), "needs dockerd and the docker CLI (apt-get install docker.io)");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "berth-archives-it-");
        host = "unix://" + tmp.resolve("docker.sock");
        dockerd = new ProcessBuilder("dockerd", "--data-root", tmp.resolve("data").toString(), "--exec-root", tmp.resolve("exec").toString(),
                "-H", host, "--pidfile", tmp.resolve("docker.pid").toString(), "--bridge=none", "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("dockerd.log").toFile()).start();
        for (int i = 0; i < 150; i++) {
            if (Files.exists(tmp.resolve("docker.sock")) && docker(null, "version").exit == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("dockerd did not start: " + Files.readString(tmp.resolve("dockerd.log")));
    }

    @AfterAll
    static void stopDockerd() throws Exception {
        if (dockerd != null) {
            dockerd.destroy();
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
            }
            new ProcessBuilder("umount", "-R", tmp.resolve("data").toString()).start().waitFor();
            new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
        }
    }

    private ImageTransfer transfer(Path dataRoot) {
        return new ImageTransfer(dataRoot, FileContentStore.open(dataRoot), new MemorySnapshotter(), new MapRegistry());
    }

    @Test
    void dockerLoadsWhatBerthSaves() throws Exception {
        ImageTransfer berth = transfer(root);
        berth.load(new ByteArrayInputStream(resource("docker20-multi.tar")));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        berth.save(List.of("base:1", "derived"), saved, ImageTransfer.Format.DOCKER);
        docker(null, "rmi", "-f", "base:1", "derived:latest", "derived:v2");
        Result load = docker(saved.toByteArray(), "load");
        assertThat(load.exit).as(load.out).isZero();
        assertThat(load.out.lines()).contains("Loaded image: base:1", "Loaded image: derived:latest", "Loaded image: derived:v2");
        assertThat(docker(null, "image", "inspect", "--format", "{{.Id}}", "base:1").out.strip()).isEqualTo(ImageTransferTest.BASE.toString());
        assertThat(docker(null, "image", "inspect", "--format", "{{.Id}}", "derived:v2").out.strip()).isEqualTo(ImageTransferTest.DERIVED.toString());
    }

    @Test
    void berthLoadsWhatDockerSavesAndBack() throws Exception {
        byte[] rootfs = Tars.layer("bin/hello", "#!/bin/sh\necho hi\n", "etc/motd", "hello\n");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(rootfs);
        }
        ImageTransfer berth = transfer(root.resolve("a"));
        Digest id = berth.importRootfs(new ByteArrayInputStream(gz.toByteArray()), Reference.parse("berth-it/imported:1"),
                List.of("CMD [\"/bin/hello\"]", "ENV A=1", "EXPOSE 80"), "from berth");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        berth.save(List.of("berth-it/imported:1"), saved, ImageTransfer.Format.DOCKER);
        Result load = docker(saved.toByteArray(), "load");
        assertThat(load.out).contains("Loaded image: berth-it/imported:1");
        assertThat(docker(null, "image", "inspect", "--format", "{{.Id}} {{json .Config.Cmd}} {{.Comment}}", "berth-it/imported:1").out.strip())
                .isEqualTo(id + " [\"/bin/hello\"] from berth");
        // and back: dockerd's own save of it loads into a fresh berth with the same id
        Result save = docker(null, "save", "berth-it/imported:1");
        assertThat(save.exit).isZero();
        ImageTransfer again = transfer(root.resolve("b"));
        assertThat(again.load(new ByteArrayInputStream(save.bytes))).containsExactly("Loaded image: berth-it/imported:1");
    }

    record Result(int exit, String out, byte[] bytes) {
    }

    static Result docker(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker", "-H", host));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            Thread.ofVirtual().start(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException ignored) {
                    // docker exited early; its exit code tells
                }
            });
        }
        byte[] out = p.getInputStream().readAllBytes();
        int exit = p.waitFor();
        return new Result(exit, new String(out, StandardCharsets.UTF_8), out);
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
