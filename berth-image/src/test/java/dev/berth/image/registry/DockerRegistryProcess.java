package dev.berth.image.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1 and a free port, in a temp dir of
 * its own, optionally behind htpasswd Basic auth; stopped and removed by {@link #close}.
 * Tests that need it skip when /usr/bin/docker-registry is absent.
 */
public final class DockerRegistryProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final Process process;
    private final int port;

    private DockerRegistryProcess(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static DockerRegistryProcess start() throws IOException, InterruptedException {
        return start(null, null);
    }

    /** With {@code user}/{@code password} non-null, the registry wants Basic auth with them. */
    public static DockerRegistryProcess start(String user, String password) throws IOException, InterruptedException {
        return start(user, password, null);
    }

    /**
     * With {@code tls} non-null, the registry serves https with its files (and asks clients for
     * a certificate signed by {@code tls.clientCa} when that is non-null).
     */
    public static DockerRegistryProcess start(String user, String password, Tls tls) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("berth-regclient-registry-");
        int port = freePort();
        StringBuilder config = new StringBuilder();
        config.append("version: 0.1\n")
                .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (tls != null) {
            config.append("  tls:\n    certificate: ").append(tls.cert()).append("\n    key: ").append(tls.key()).append('\n');
            if (tls.clientCa() != null) {
                config.append("    clientcas:\n      - ").append(tls.clientCa()).append('\n');
            }
        }
        if (user != null) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
            Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
            config.append("auth:\n  htpasswd:\n    realm: berth-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
        }
        Files.writeString(dir.resolve("config.yml"), config.toString());
        Process p = new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        DockerRegistryProcess registry = new DockerRegistryProcess(dir, p, port);
        try {
            registry.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** PEM files for a TLS registry; {@code clientCa} may be null. */
    public record Tls(Path cert, Path key, Path clientCa) {
    }

    public int port() {
        return port;
    }

    /** host:port, the domain of references into this registry. */
    public String domain() {
        return "127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create("http://" + domain() + path);
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + log());
            }
            try {
                int status = http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status == 200 || status == 401 || status == 400) { // 400: plain HTTP sent to its TLS port
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException("docker-registry did not answer on " + domain());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
