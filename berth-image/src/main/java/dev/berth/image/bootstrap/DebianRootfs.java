package dev.berth.image.bootstrap;

import dev.berth.image.io.FileTrees;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Debian root filesystem from {@code debootstrap --variant=minbase <suite> <dir> <mirror>}, then
 * trimmed as Debian's own container images are: no downloaded .deb files, no apt lists, an empty
 * {@code /dev} (the runtime mounts its own). debootstrap must run as root.
 */
public final class DebianRootfs {
    private static final Path DEBOOTSTRAP = Path.of("/usr/sbin/debootstrap");

    private final String suite;
    private final AptMirror mirror;

    public DebianRootfs(String suite, AptMirror mirror) {
        if (!suite.matches("[a-z][a-z0-9-]*")) {
            throw BerthException.invalid("invalid debian suite \"" + suite + "\"");
        }
        this.suite = suite;
        this.mirror = mirror;
    }

    /** Builds the tree into {@code target} (absent or empty); {@code progress} gets debootstrap's lines. */
    public void build(Path target, Consumer<String> progress) {
        if (!Files.isExecutable(DEBOOTSTRAP)) {
            throw BerthException.precondition("debootstrap not found at " + DEBOOTSTRAP + " (apt-get install debootstrap)");
        }
        List<String> command = List.of(DEBOOTSTRAP.toString(), "--variant=minbase", suite, target.toString(), mirror.uri());
        List<String> tail = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (var lines = p.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    progress.accept(line);
                    tail.add(line);
                    if (tail.size() > 5) {
                        tail.removeFirst();
                    }
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw BerthException.internal("debootstrap " + suite + " from " + mirror.uri() + " failed: " + String.join(" / ", tail));
            }
            trim(target);
        } catch (IOException e) {
            throw BerthException.internal("cannot run debootstrap: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted running debootstrap", e);
        }
    }

    /** Removes what an image should not carry: package caches, apt lists, device nodes, the bootstrap log. */
    static void trim(Path root) throws IOException {
        emptyDirectory(root.resolve("var/cache/apt/archives"), p -> p.toString().endsWith(".deb"));
        emptyDirectory(root.resolve("var/cache/apt"), p -> p.toString().endsWith(".bin"));
        emptyDirectory(root.resolve("var/lib/apt/lists"), p -> !p.getFileName().toString().equals("partial")
                && !p.getFileName().toString().equals("lock"));
        emptyDirectory(root.resolve("dev"), p -> true);
        Files.deleteIfExists(root.resolve("var/log/bootstrap.log"));
    }

    private static void emptyDirectory(Path dir, java.util.function.Predicate<Path> which) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.filter(which).toList();
        }
        for (Path child : children) {
            FileTrees.delete(child);
        }
    }
}
