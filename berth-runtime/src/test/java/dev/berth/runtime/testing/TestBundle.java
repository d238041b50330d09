package dev.berth.runtime.testing;

import dev.berth.oci.json.Json;
import dev.berth.oci.runtime.DefaultSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A bundle for black-box runtime tests: a rootfs of the host's static busybox, and a config
 * that starts from berth's default spec (like `runc spec`) and changes one thing per test.
 * The host directory {@link #out()} is bind-mounted at /out so the container can report back.
 */
public final class TestBundle {
    private static final List<String> APPLETS = List.of("sh", "cat", "echo", "hostname", "id", "ls", "sleep",
            "true", "false", "touch", "mkdir", "grep", "head", "mknod", "unshare", "ps", "kill", "stat", "wc",
            "test", "[", "env", "pwd", "readlink", "mount", "umount", "tr", "cut", "seq", "dd", "ln", "rm", "tty", "stty", "nsenter", "ip", "chown", "sed");

    private final Path dir;
    private final Map<String, Object> config;

    @SuppressWarnings("unchecked")
    private TestBundle(Path dir) {
        this.dir = dir;
        this.config = (Map<String, Object>) Json.parse(DefaultSpec.json(false));
    }

    /** A new bundle under parent, running args. */
    public static TestBundle create(Path parent, String... args) {
        try {
            Path dir = Files.createDirectories(parent.resolve("bundle"));
            Path rootfs = dir.resolve("rootfs");
            for (String d : List.of("bin", "proc", "sys", "dev", "etc", "tmp", "out", "root")) {
                Files.createDirectories(rootfs.resolve(d));
            }
            Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            Files.createDirectories(dir.resolve("out"));
            // writable by any user the tests switch to
            Files.setPosixFilePermissions(dir.resolve("out"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            TestBundle b = new TestBundle(dir);
            b.process().put("terminal", false);
            b.process().put("args", new ArrayList<>(List.of(args)));
            b.mounts().add(new LinkedHashMap<>(Map.of("destination", "/out", "type", "bind",
                    "source", dir.resolve("out").toString(), "options", new ArrayList<>(List.of("rbind", "rw")))));
            b.write();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public Path out() {
        return dir.resolve("out");
    }

    public String read(String name) {
        try {
            return Files.readString(out().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> config() {
        return config;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> process() {
        return (Map<String, Object>) config.get("process");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> linux() {
        return (Map<String, Object>) config.get("linux");
    }

    @SuppressWarnings("unchecked")
    public List<Object> mounts() {
        return (List<Object>) config.get("mounts");
    }

    /** Changes the config (a JSON tree of maps and lists) and writes it. */
    public TestBundle edit(Consumer<Map<String, Object>> change) {
        change.accept(config);
        write();
        return this;
    }

    public TestBundle args(String... args) {
        return edit(c -> process().put("args", new ArrayList<>(List.of(args))));
    }

    public void write() {
        try {
            Files.writeString(dir.resolve("config.json"), Json.writePretty(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
