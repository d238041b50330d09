package dev.berth.registry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/berth registry serve} as a user runs it, on 127.0.0.1:0 over a root in a temp
 * directory; the port is read back from its log. {@link #close} sends SIGTERM and expects a clean
 * exit 0.
 */
final class RegistryProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("serving \\S+ on (https?)://127\\.0\\.0\\.1:(\\d+)");

    final Path root;
    final int port;
    private final Process process;
    private final Path log;

    private RegistryProcess(Path root, int port, Process process, Path log) {
        this.root = root;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static Path repo() {
        return Path.of(System.getProperty("berth.repo", Path.of("").toAbsolutePath().getParent().toString()));
    }

    static RegistryProcess start(Path work, String... extraFlags) throws Exception {
        Path root = work.resolve("registry-root");
        Path log = work.resolve("registry.log");
        List<String> command = new ArrayList<>(List.of(repo().resolve("bin/berth").toString(), "registry", "serve",
                "--addr", "127.0.0.1:0", "--root", root.toString()));
        command.addAll(Arrays.asList(extraFlags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return new RegistryProcess(root, Integer.parseInt(m.group(2)), p, log);
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("berth registry serve exited " + p.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("berth registry serve did not come up in 60 s:\n" + Files.readString(log));
    }

    /** host:port as image references write it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM to our own server only
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("berth registry serve did not stop on SIGTERM:\n" + log());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("berth registry serve exited " + process.exitValue() + " on SIGTERM:\n" + log());
        }
    }
}
