package dev.berth.daemon.testing;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Debian's docker-registry on 127.0.0.1 at a free port, with its storage in a temp dir of its
 * own, optionally behind htpasswd Basic auth (bcrypt, made here). {@link #close} stops the
 * process this started (by its handle) and removes the dir. Tests skip when the binary is absent.
 */
public final class RegistryProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final Process process;
    private final int port;

    private RegistryProcess(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static RegistryProcess start() throws IOException, InterruptedException {
        return start(null, null);
    }

    /** With a user, every request needs Basic auth with that user and password. */
    public static RegistryProcess start(String user, String password) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("berth-regdaemon-registry-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder yml = new StringBuilder("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data"))
                .append("\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (user != null) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            Files.writeString(dir.resolve("htpasswd"), user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5) + "\n");
            yml.append("auth:\n  htpasswd:\n    realm: berth-regdaemon\n    path: ").append(dir.resolve("htpasswd")).append('\n');
        }
        Files.writeString(dir.resolve("config.yml"), yml);
        Process p = new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        RegistryProcess registry = new RegistryProcess(dir, p, port);
        try {
            registry.awaitAnswer();
            return registry;
        } catch (IOException | InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
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

    private void awaitAnswer() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + log());
            }
            try {
                int status = http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException("docker-registry did not answer on " + domain());
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
