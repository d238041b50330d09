package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.DeviceMapping;
import dev.berth.engine.container.Health;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Status;
import dev.berth.engine.container.Ulimit;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** --device, --tmpfs with options, health kept across an engine restart, volumes filled from the image. Needs root. */
class HostFeaturesTest {
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

    private Container create(ContainerConfig config, HostConfig host) {
        Container c = engine.create(CreateRequest.of(config, host));
        ids.add(c.id());
        return c;
    }

    private List<String> runToEnd(Container c) {
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        return LogReader.readAll(engine.logPath(c.id())).stream().filter(e -> e.stream() == LogEntry.Stream.STDOUT)
                .map(LogEntry::text).toList();
    }

    @Test
    void devicesAreMadeAndAllowedAndAMissingOneFailsTheStartInDockersWords() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c",
                        "stat -c '%F %t:%T' /dev/mynull; head -c 4 /dev/myzero | od -An -tx1; echo x > /dev/myzero && echo wrote")),
                HostConfig.DEFAULT.withDevices(List.of(new DeviceMapping("/dev/null", "/dev/mynull", "rwm"),
                        new DeviceMapping("/dev/zero", "/dev/myzero", "r"))));
        engine.start(c.id());
        engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
        List<String> out = LogReader.readAll(engine.logPath(c.id())).stream().map(LogEntry::text).toList();
        // /dev/zero (1:5) is in the default allow list, so "r" alone does not keep writes out: docker's rules are the same
        assertThat(out).startsWith("character special file 1:3\n", " 00 00 00 00\n");

        Container missing = create(ContainerConfig.of("busybox", List.of("true")),
                HostConfig.DEFAULT.withDevices(List.of(new DeviceMapping("/dev/nope", "", ""))));
        assertThatThrownBy(() -> engine.start(missing.id()))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("error gathering device information while adding custom device \"/dev/nope\": no such file or directory");
        assertThat(engine.inspect(missing.id()).status()).isEqualTo(Status.CREATED);
        assertThat(engine.inspect(missing.id()).hostConfig().devices()).containsExactly(new DeviceMapping("/dev/nope", "/dev/nope", "rwm"));

        // --privileged: the host's devices, as docker gives them
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(java.nio.file.Path.of("/dev/loop-control")), "needs /dev/loop-control");
        Container priv = create(ContainerConfig.of("busybox", List.of("sh", "-c", "stat -c '%F %t:%T' /dev/loop-control; ls /dev/pts | wc -l")),
                HostConfig.DEFAULT.withSecurity(true, List.of(), List.of(), List.of()));
        assertThat(runToEnd(priv)).containsExactly("character special file a:ed\n", "1\n");
    }

    @Test
    void tmpfsOptionsUlimitsAndTheStopSignal() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c",
                        "grep ' /run ' /proc/mounts | cut -d' ' -f4; grep ' /scratch ' /proc/mounts | cut -d' ' -f4; ulimit -n")),
                HostConfig.DEFAULT.withTmpfs(Map.of("/run", "size=1m,mode=1770,exec", "/scratch", ""))
                        .withUlimits(List.of(new Ulimit("nofile", 321, 654))));
        List<String> out = runToEnd(c);
        assertThat(out.get(0)).contains("rw", "nosuid", "nodev", "size=1024k", "mode=1770").doesNotContain("noexec");
        assertThat(out.get(1)).contains("rw", "nosuid", "nodev", "noexec");
        assertThat(out.get(2)).isEqualTo("321\n");

        // --stop-signal: the container's handler sees it and exits by itself, long before any SIGKILL
        Container trap = create(ContainerConfig.of("busybox", List.of("sh", "-c",
                        "trap 'echo got USR1; exit 0' USR1; echo ready; while true; do sleep 0.1; done"))
                .withStop("SIGUSR1", Optional.of(30)), HostConfig.DEFAULT);
        engine.start(trap.id());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (LogReader.readAll(engine.logPath(trap.id())).stream().noneMatch(e -> e.text().equals("ready\n"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20); // until the shell has set its trap
        }
        engine.stop(trap.id(), Optional.empty());
        assertThat(engine.inspect(trap.id()).state().exitCode()).isZero();
        assertThat(LogReader.readAll(engine.logPath(trap.id()))).extracting(LogEntry::text).contains("got USR1\n");
    }

    @Test
    void healthIsKeptAcrossAnEngineRestartAndStartsAgainAsStarting() throws Exception {
        var check = new ImageConfig.Healthcheck(List.of("CMD", "true"), 100_000_000L, 5_000_000_000L, 0, 0, 3);
        Container c = create(ContainerConfig.of("busybox", List.of("sleep", "1000")).withHealthcheck(Optional.of(check))
                .withStop("KILL", Optional.empty()), HostConfig.DEFAULT);
        engine.start(c.id());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!engine.health(c.id()).orElseThrow().status().equals(Health.HEALTHY) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.health(c.id()).orElseThrow().status()).isEqualTo(Health.HEALTHY);
        engine.stop(c.id(), Optional.of(1));
        Health stopped = engine.health(c.id()).orElseThrow();
        assertThat(stopped.status()).isEqualTo(Health.HEALTHY);

        engine.close();
        engine = fx.engine = fx.openEngine();
        Health reloaded = engine.inspect(c.id()).state().health().orElseThrow();
        assertThat(reloaded.status()).isEqualTo(Health.HEALTHY);
        assertThat(reloaded.log()).isNotEmpty();
        engine.start(c.id());
        Health again = engine.health(c.id()).orElseThrow();
        assertThat(again.status()).isEqualTo(Health.STARTING);
        assertThat(again.failingStreak()).isZero();
        // a container without a healthcheck has none
        Container plain = create(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT);
        assertThat(engine.health(plain.id())).isEmpty();
    }

    @Test
    void newVolumesGetTheImagesFilesUnlessNocopyOrAlreadyFilled() throws Exception {
        var full = engine.volumeCreate(Optional.of("full"), Map.of());
        Files.writeString(full.mountpoint().resolve("mine"), "kept");
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c",
                        "ls /etc/passwd /anon/passwd; ls /named; ls /none | wc -l; ls /full; stat -c %a /bin0")),
                HostConfig.DEFAULT.withMounts(List.of("named:/named", "none:/none:nocopy", "full:/full"),
                        List.of(MountSpec.volume("", "/anon", false), MountSpec.volume("bin", "/bin0", false)), false));
        var named = engine.volumeInspect("named").mountpoint();
        assertThat(named).isEmptyDirectory(); // nothing at /named in the image: nothing to copy
        var anon = engine.volumeInspect(engine.inspect(c.id()).hostConfig().mounts().getFirst().source()).mountpoint();
        assertThat(anon).isEmptyDirectory();
        assertThat(engine.volumeInspect("none").mountpoint()).isEmptyDirectory();
        assertThat(full.mountpoint()).isDirectoryContaining(p -> p.getFileName().toString().equals("mine"));
        assertThat(full.mountpoint().toFile().list()).containsExactly("mine");

        // a volume over a path the image has: its files, owners, modes and links come along
        Container etc = create(ContainerConfig.of("busybox", List.of("sh", "-c", "cat /etc/passwd | head -1")),
                HostConfig.DEFAULT.withMounts(List.of("etcvol:/etc", "nc:/bin:nocopy,ro"), List.of(), false));
        var etcVol = engine.volumeInspect("etcvol").mountpoint();
        assertThat(etcVol.resolve("passwd")).content().startsWith("root:");
        assertThat(engine.volumeInspect("nc").mountpoint()).isEmptyDirectory();
        engine.remove(etc.id(), true);
        Container reader = create(ContainerConfig.of("busybox", List.of("sh", "-c", "head -1 /etc/passwd")),
                HostConfig.DEFAULT.withMounts(List.of("etcvol:/etc"), List.of(), false));
        assertThat(runToEnd(reader)).containsExactly("root:x:0:0:root:/root:/bin/sh\n");
        engine.remove(c.id(), true);

        // an image's VOLUME gets an anonymous volume, filled with what the image has there
        Container maker = create(ContainerConfig.of("busybox", List.of("sh", "-c",
                "mkdir -p /seed/sub && echo seeded > /seed/sub/f && chown 1234:5678 /seed/sub && ln -s sub/f /seed/link")), HostConfig.DEFAULT);
        runToEnd(maker);
        var image = engine.commit(maker.id(), new CommitOptions(Optional.of(dev.berth.oci.image.Reference.parse("seeded:1")), "", "",
                List.of("VOLUME /seed"), true));
        Container user = create(ContainerConfig.of("seeded:1", List.of("sh", "-c", "cat /seed/sub/f; readlink /seed/link")),
                HostConfig.DEFAULT);
        var seeded = engine.volumeInspect(engine.inspect(user.id()).hostConfig().mounts().getFirst().source()).mountpoint();
        assertThat(seeded.resolve("sub/f")).hasContent("seeded");
        assertThat(Files.readSymbolicLink(seeded.resolve("link")).toString()).isEqualTo("sub/f");
        assertThat(Files.getAttribute(seeded.resolve("sub"), "unix:uid")).isEqualTo(1234);
        assertThat(runToEnd(user)).containsExactly("seeded\n", "sub/f\n");
        engine.remove(user.id(), true, true);
        engine.remove(maker.id(), true);
        fx.images.remove("seeded:1", true, false);
        assertThat(image.id()).isNotNull();
    }

    @Test
    void shmSizeSysctlsGroupsOomScoreHostsAndDnsReachTheProcess() throws Exception {
        HostConfig host = HostConfig.DEFAULT.withProcessSettings(8L << 20, Map.of("net.core.somaxconn", "321"),
                        List.of("4242"), 321)
                .withNames(new dev.berth.engine.container.NameResolution(List.of("db:10.0.0.5"), List.of("9.9.9.9"),
                        List.of("example.com"), List.of()));
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c",
                "cat /proc/sys/net/core/somaxconn; grep ' /dev/shm ' /proc/mounts | cut -d' ' -f4; id -G; cat /proc/self/oom_score_adj;"
                        + " tail -1 /etc/hosts; grep -v '^#' /etc/resolv.conf")), host);
        List<String> out = runToEnd(c);
        assertThat(out.get(0)).isEqualTo("321\n");
        assertThat(out.get(1)).contains("size=8192k");
        assertThat(out.get(2)).isEqualTo("0 4242\n");
        assertThat(out.get(3)).isEqualTo("321\n");
        assertThat(out.get(4)).isEqualTo("10.0.0.5\tdb\n");
        assertThat(out.subList(5, out.size())).contains("nameserver 9.9.9.9\n", "search example.com\n");
    }
}
