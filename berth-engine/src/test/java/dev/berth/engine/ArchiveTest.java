package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.archive.PathStat;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.oci.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docker cp through the engine: stat, get and put on stopped and running containers, hostile archives. Needs root. */
class ArchiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EngineFixture fx;
    private ContainerEngine engine;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() {
        EngineFixture.assumePrivileged();
        fx = new EngineFixture().start();
        engine = fx.engine;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx == null) {
            return;
        }
        fx.removeAllCheckAndClose(ids);
    }

    private Container create(ContainerConfig config, HostConfig host, String name) {
        Container c = engine.create(CreateRequest.of(config, host).named(name));
        ids.add(c.id());
        return c;
    }

    /** A tar of entries: name → content (null: a directory; "->target": a symlink; "=>target": a hard link). */
    private static byte[] tar(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : entries.entrySet()) {
                String v = e.getValue();
                TarArchiveEntry t;
                if (v == null) {
                    t = new TarArchiveEntry(e.getKey(), TarConstants.LF_DIR, true);
                    t.setMode(0755);
                } else if (v.startsWith("->")) {
                    t = new TarArchiveEntry(e.getKey(), TarConstants.LF_SYMLINK, true);
                    t.setLinkName(v.substring(2));
                } else if (v.startsWith("=>")) {
                    t = new TarArchiveEntry(e.getKey(), TarConstants.LF_LINK, true);
                    t.setLinkName(v.substring(2));
                } else {
                    t = new TarArchiveEntry(e.getKey(), TarConstants.LF_NORMAL, true);
                    t.setMode(0640);
                    t.setSize(v.getBytes(StandardCharsets.UTF_8).length);
                }
                t.setUserId(1234);
                t.setGroupId(5678);
                out.putArchiveEntry(t);
                if (t.getLinkFlag() == TarConstants.LF_NORMAL) {
                    out.write(v.getBytes(StandardCharsets.UTF_8));
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** name → content ("" for directories, "->target" for symlinks) of a tar. */
    private static Map<String, String> untar(byte[] tar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), e.isSymbolicLink() ? "->" + e.getLinkName()
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private byte[] get(String id, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.archiveGet(id, path, out);
        return out.toByteArray();
    }

    private String run(Container c, String script) throws Exception {
        String exec = engine.execCreate(c.id(), ExecConfig.of(List.of("sh", "-c", script)));
        List<LogEntry> output = new CopyOnWriteArrayList<>();
        assertThat(engine.execStart(exec, output::add).get()).isZero();
        StringBuilder s = new StringBuilder();
        output.forEach(e -> s.append(e.text()));
        return s.toString();
    }

    @Test
    void statAndGetOnAStoppedContainerNameEntriesAsDockerDoes() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT, "web");
        PathStat passwd = engine.archiveStat("web", "/etc/passwd");
        assertThat(passwd.name()).isEqualTo("passwd");
        assertThat(passwd.isDirectory()).isFalse();
        assertThat(passwd.mode() & 0777).isEqualTo(0644);
        assertThat(passwd.linkTarget()).isEmpty();
        PathStat etc = engine.archiveStat("web", "/etc/");
        assertThat(etc.name()).isEqualTo("etc");
        assertThat(etc.isDirectory()).isTrue();
        assertThat(engine.archiveStat("web", "/").name()).isEqualTo("/");

        assertThatThrownBy(() -> engine.archiveStat("web", "/nope"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND))
                .hasMessage("Could not find the file /nope in container web");
        assertThatThrownBy(() -> engine.archiveStat("nosuch", "/etc")).hasMessage("No such container: nosuch");

        Map<String, String> file = untar(get("web", "/etc/passwd"));
        assertThat(file.keySet()).containsExactly("passwd");
        assertThat(file.get("passwd")).startsWith("root:");
        Map<String, String> dir = untar(get(c.id(), "/etc"));
        assertThat(dir).containsKey("etc/").containsKey("etc/passwd");
        assertThat(untar(get(c.id(), "/etc/.")).keySet()).contains("./", "./passwd").noneMatch(n -> n.startsWith("etc"));
        assertThat(engine.inspect(c.id()).status()).isEqualTo(Status.CREATED);
    }

    @Test
    void putIntoAStoppedContainerLandsInItsLayerAndVolumes() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c", "cat /tmp/d/f /data/v; stat -c %u:%g:%a /tmp/d/f")),
                HostConfig.DEFAULT.withMounts(List.of("cpvol:/data"), List.of(), false), "stopped");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("d/", null);
        entries.put("d/f", "file\n");
        entries.put("d/link", "->/etc/passwd");
        entries.put("d/hard", "=>d/f");
        // copyUIDGID without a Config.User keeps the archive's owners, as dockerd does
        engine.archivePut(c.id(), "/tmp", new ByteArrayInputStream(tar(entries)), true, true);
        engine.archivePut(c.id(), "/data", new ByteArrayInputStream(tar(Map.of("v", "volume\n"))), true, false);
        assertThat(engine.volumeInspect("cpvol").mountpoint().resolve("v")).hasContent("volume");
        PathStat link = engine.archiveStat(c.id(), "/tmp/d/link");
        assertThat(link.isSymlink()).isTrue();
        assertThat(link.linkTarget()).isEqualTo("/etc/passwd");
        assertThat(untar(get(c.id(), "/data/v"))).containsEntry("v", "volume\n");

        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        List<String> out = dev.berth.engine.logs.LogReader.readAll(engine.logPath(c.id())).stream().map(LogEntry::text).toList();
        assertThat(out).containsExactly("file\n", "volume\n", "1234:5678:640\n");
    }

    @Test
    void aRunningContainerIsReachedThroughItsOwnViewAndLeftRunning() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sleep", "1000")).withUser("nobody"),
                HostConfig.DEFAULT.withMounts(List.of(), List.of(MountSpec.tmpfs("/scratch", 1 << 20, 0)), false), "live");
        engine.start(c.id());
        run(c, "echo from-inside > /scratch/x");
        assertThat(untar(get("live", "/scratch/x"))).containsEntry("x", "from-inside\n");
        engine.archivePut("live", "/tmp", new ByteArrayInputStream(tar(Map.of("in", "put\n"))), true, true);
        assertThat(run(c, "cat /tmp/in; stat -c %u:%g /tmp/in")).isEqualTo("put\n65534:65534\n");
        assertThat(engine.inspect(c.id()).status()).isEqualTo(Status.RUNNING);
        assertThat(run(c, "echo still-running")).isEqualTo("still-running\n");

        // through /proc/<pid>/root too, a link the container (or the archive) planted stays in the container
        String unique = "berth-cp-live-" + UUID.randomUUID();
        run(c, "ln -s / /tmp/root-link");
        engine.archivePut("live", "/tmp/root-link", new ByteArrayInputStream(tar(Map.of(unique, "inside\n"))), true, false);
        assertThat(Path.of("/" + unique)).doesNotExist();
        assertThat(run(c, "ls /" + unique)).isEqualTo("/" + unique + "\n"); // the container sees it at its root
        Map<String, String> planted = new LinkedHashMap<>();
        planted.put("up", "->../../../../..");
        planted.put("up/" + unique + "-2", "inside too\n");
        engine.archivePut("live", "/tmp", new ByteArrayInputStream(tar(planted)), true, false);
        assertThat(Path.of("/" + unique + "-2")).doesNotExist();
        assertThat(untar(get("live", "/" + unique + "-2"))).containsEntry(unique + "-2", "inside too\n");
        assertThat(untar(get("live", "/tmp/root-link/" + unique))).containsEntry(unique, "inside\n");
        // the download reaches the client after the container is unlocked and unfrozen: another thread can pause it meanwhile
        List<String> seenWhileSending = new ArrayList<>();
        engine.archiveGet("live", "/etc/passwd", new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (seenWhileSending.isEmpty()) {
                    try {
                        java.util.concurrent.CompletableFuture.runAsync(() -> engine.pause("live")).get(10, java.util.concurrent.TimeUnit.SECONDS);
                        seenWhileSending.add(engine.inspect("live").status().word());
                        engine.unpause("live");
                    } catch (Exception e) {
                        seenWhileSending.add("blocked: " + e);
                    }
                }
            }
        });
        assertThat(seenWhileSending).containsExactly("paused");
        try (var spooled = Files.list(fx.dataRoot.resolve("tmp"))) {
            assertThat(spooled.filter(p -> p.getFileName().toString().startsWith("cp-")).toList()).isEmpty();
        }
        engine.pause("live");
        assertThat(engine.archiveStat("live", "/tmp/in").size()).isEqualTo(4);
        assertThat(engine.inspect("live").status()).isEqualTo(Status.PAUSED); // a paused container stays paused
        engine.unpause("live");
    }

    @Test
    void hostileArchivesAreRefusedOrConfinedToTheContainer() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT, "target");
        String unique = "berth-cp-escape-" + UUID.randomUUID();
        assertThatThrownBy(() -> engine.archivePut(c.id(), "/tmp", new ByteArrayInputStream(tar(Map.of("../" + unique, "x"))),
                true, false))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("\"../" + unique + "\" is outside of \"/tmp\"");
        // a planted symlink to / is followed as the container would: into its own root, not the host's
        Map<String, String> planted = new LinkedHashMap<>();
        planted.put("evil", "->/");
        planted.put("evil/" + unique, "confined\n");
        planted.put("up", "->../../../../../../..");
        planted.put("up/tmp/" + unique, "confined too\n");
        planted.put("/abs-" + unique, "relative to the destination\n");
        engine.archivePut(c.id(), "/tmp", new ByteArrayInputStream(tar(planted)), true, false);
        assertThat(Path.of("/" + unique)).doesNotExist();
        assertThat(Path.of("/tmp/" + unique)).doesNotExist();
        assertThat(untar(get(c.id(), "/" + unique))).containsEntry(unique, "confined\n");
        assertThat(untar(get(c.id(), "/tmp/" + unique))).containsEntry(unique, "confined too\n");
        assertThat(untar(get(c.id(), "/tmp/abs-" + unique))).containsValue("relative to the destination\n");
        // a directory the archive made, then replaced by a link (overwriting allowed): what follows goes through the link
        Map<String, String> swapped = new LinkedHashMap<>();
        swapped.put("swap/first", "1\n");
        swapped.put("swap", "->/");
        swapped.put("swap/" + unique + "-swapped", "through the link\n");
        engine.archivePut(c.id(), "/tmp", new ByteArrayInputStream(tar(swapped)), false, false);
        assertThat(untar(get(c.id(), "/" + unique + "-swapped"))).containsValue("through the link\n");
        assertThat(Path.of("/" + unique + "-swapped")).doesNotExist();
        // a hard link may only name what is inside the destination
        assertThatThrownBy(() -> engine.archivePut(c.id(), "/tmp", new ByteArrayInputStream(tar(Map.of("h", "=>../etc/passwd"))),
                true, false)).hasMessage("\"../etc/passwd\" is outside of \"/tmp\"");
        // a directory is not replaced by a file (the CLI always asks for that)
        assertThatThrownBy(() -> engine.archivePut(c.id(), "/", new ByteArrayInputStream(tar(Map.of("etc", "x"))), true, false))
                .hasMessage("cannot overwrite directory \"/etc\" with non-directory \"/\"");
        assertThatThrownBy(() -> engine.archivePut(c.id(), "/", new ByteArrayInputStream("not a tar at all, far too short".getBytes()),
                true, false)).isInstanceOf(BerthException.class);
        assertThat(engine.archiveStat(c.id(), "/etc").isDirectory()).isTrue();
    }

    @Test
    void badDestinationsInDockersWords() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT, "dest");
        byte[] t = tar(Map.of("f", "x"));
        assertThatThrownBy(() -> engine.archivePut("dest", "/etc/passwd", new ByteArrayInputStream(t), true, false))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("extraction point is not a directory");
        assertThatThrownBy(() -> engine.archivePut("dest", "/nope", new ByteArrayInputStream(t), true, false))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND))
                .hasMessage("Could not find the file /nope in container dest");
        Container ro = create(ContainerConfig.of("busybox", List.of("true")),
                HostConfig.DEFAULT.withMounts(List.of("rovol:/ro:ro"), List.of(), true), "ro");
        assertThatThrownBy(() -> engine.archivePut("ro", "/tmp", new ByteArrayInputStream(t), true, false))
                .hasMessage("container rootfs is marked read-only");
        engine.archiveStat("ro", "/ro");
        assertThatThrownBy(() -> engine.archivePut("ro", "/ro", new ByteArrayInputStream(t), true, false))
                .hasMessage("mounted volume is marked read-only");
        assertThat(engine.inspect(c.id()).status()).isEqualTo(Status.CREATED);
    }
}
