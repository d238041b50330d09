package dev.berth.cli.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's docker-registry on 127.0.0.1 with its own storage under a test's directory, plain or
 * behind htpasswd Basic auth (one user, bcrypt). Stopped by {@link #close}. Skips the test when
 * the registry is not installed.
 */
final class LocalRegistry implements AutoCloseable {
    private static final String BINARY = "/usr/bin/docker-registry";

    final String address;
    private final Process process;

    private LocalRegistry(String address, Process process) {
        this.address = address;
        this.process = process;
    }

    /**
     * @param user  null for a registry without auth
     */
    static LocalRegistry start(Path dir, String user, String password) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BINARY)), "Debian's docker-registry is not installed");
        Files.createDirectories(dir);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StringBuilder config = new StringBuilder("""
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        if (user != null) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            Files.writeString(dir.resolve("htpasswd"), user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(),
                    salt, 6) + "\n");
            config.append("""
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(dir.resolve("htpasswd")));
        }
        Files.writeString(dir.resolve("config.yml"), config);
        Process p = new ProcessBuilder(BINARY, "serve", dir.resolve("config.yml").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry("127.0.0.1:" + port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (registry.answers()) {
                return registry;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        registry.close();
        throw new IOException("docker-registry did not come up: " + Files.readString(dir.resolve("registry.log")));
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address + "/v2/").toURL().openConnection();
            c.setConnectTimeout(500);
            int status = c.getResponseCode();
            c.disconnect();
            return status == 200 || status == 401;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM to our own registry only
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
