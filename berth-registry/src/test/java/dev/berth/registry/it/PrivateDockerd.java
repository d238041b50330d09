package dev.berth.registry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A dockerd of this test's own (data root, exec root and socket under a temp dir, no bridge, no
 * iptables), driven by the docker CLI with a private DOCKER_CONFIG, so logins never touch the
 * machine's. dockerd treats 127.0.0.0/8 as insecure, so it talks plain HTTP to our registry.
 * Skips the test, saying why, when there is no dockerd or no root.
 */
final class PrivateDockerd implements AutoCloseable {
    final Path work;
    final Path config;
    private final String host;
    private final Process dockerd;

    private PrivateDockerd(Path work, String host, Process dockerd) throws IOException {
        this.work = work;
        this.host = host;
        this.dockerd = dockerd;
        this.config = Files.createDirectories(work.resolve("docker-config"));
    }

    static PrivateDockerd start(Path work) throws Exception {
        Assumptions.assumeTrue(Tools.onPath("docker") && Tools.onPath("dockerd"), "no docker CLI or dockerd on PATH");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a private dockerd needs root");
        Path socket = work.resolve("docker.sock");
        Process p = new ProcessBuilder("dockerd", "--data-root", work.resolve("data").toString(), "--exec-root",
                work.resolve("exec").toString(), "-H", "unix://" + socket, "--pidfile", work.resolve("docker.pid").toString(),
                "--bridge=none", "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
        PrivateDockerd d = new PrivateDockerd(work, "unix://" + socket, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket) && d.docker("version").status() == 0) {
                return d;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        String log = Files.readString(work.resolve("dockerd.log"));
        d.close();
        Assumptions.abort("the private dockerd did not come up:\n" + log);
        return null;
    }

    Tools.Run docker(String... args) throws IOException, InterruptedException {
        return dockerWithInput(null, args);
    }

    Tools.Run dockerWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "-H", host));
        command.addAll(Arrays.asList(args));
        return Tools.runWithInput(work, Map.of("DOCKER_CONFIG", config.toString()), command, stdin);
    }

    String configJson() throws IOException {
        Path file = config.resolve("config.json");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Override
    public void close() throws Exception {
        Tools.stop(dockerd); // our own dockerd only
    }
}
