package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerModelTest {
    @TempDir
    Path tmp;

    @Test
    void idsAndNames() {
        String id = ContainerId.generate();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(ContainerId.generate()).isNotEqualTo(id);
        assertThat(ContainerName.of("web").value()).isEqualTo("/web");
        assertThat(ContainerName.of("/web.1_a-b").bare()).isEqualTo("web.1_a-b");
        for (String bad : List.of("", "a", "/", "-x", "_x", "a b", "a/b", "ünï")) {
            assertThatThrownBy(() -> ContainerName.of(bad)).isInstanceOf(BerthException.class)
                    .hasMessageStartingWith("Invalid container name (");
        }
        assertThat(NameGenerator.generate(n -> false).value()).matches("/[a-z]+_[a-z]+");
        assertThat(NameGenerator.generate(n -> !n.matches("/.*\\d")).value()).matches("/[a-z]+_[a-z]+\\d");
    }

    @Test
    void restartPoliciesAndNetworkModes() {
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy(RestartPolicy.Name.ON_FAILURE, 3));
        assertThat(RestartPolicy.parse("unless-stopped").name()).isEqualTo(RestartPolicy.Name.UNLESS_STOPPED);
        assertThat(RestartPolicy.of("", 0).isNone()).isTrue();
        assertThatThrownBy(() -> RestartPolicy.parse("always:3")).hasMessageContaining("can only be used with 'on-failure'");
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).hasMessageContaining("unknown policy 'sometimes'");
        assertThat(HostConfig.DEFAULT.withNetworkMode("default").networkMode()).isEqualTo("default");
        assertThat(HostConfig.DEFAULT.withNetworkMode("").networkMode()).isEqualTo("default");
        assertThat(HostConfig.DEFAULT.withNetworkMode("host").networkMode()).isEqualTo("host");
        assertThat(HostConfig.DEFAULT.withNetworkMode("bridge").networkMode()).isEqualTo("bridge");
        assertThat(HostConfig.DEFAULT.withNetworkMode("container:web").networkContainer()).contains("web");
        assertThat(HostConfig.DEFAULT.withNetworkMode("mynet").networkContainer()).isEmpty();
        assertThatThrownBy(() -> HostConfig.DEFAULT.withNetworkMode("container:"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("invalid container format container:<name|id>");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withAutoRemove(true).withRestartPolicy(RestartPolicy.parse("always")))
                .hasMessage("can't create 'AutoRemove' container with restart policy");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withResources(1024, 0, 0, 0, "", Optional.empty()))
                .hasMessage("Minimum memory limit allowed is 6MB");
        assertThat(MountSpec.parseBind("vol:/data")).isEqualTo(MountSpec.volume("vol", "/data", false));
        assertThat(MountSpec.parseBind("/a:/b:ro").readOnly()).isTrue();
        assertThatThrownBy(() -> new LogConfig("syslog", Map.of())).hasMessageContaining("no log driver named 'syslog'");
        assertThatThrownBy(() -> new LogConfig("json-file", Map.of("max-sise", "1m"))).hasMessageContaining("unknown log opt 'max-sise'");
    }

    @Test
    void statusGuards() {
        assertThat(Status.CREATED.canStart()).isTrue();
        assertThat(Status.RUNNING.canStart()).isFalse();
        assertThat(Status.RUNNING.canRemove()).isFalse();
        assertThat(Status.EXITED.canRemove()).isTrue();
        assertThat(Status.PAUSED.canUnpause()).isTrue();
        assertThat(Status.fromWord("restarting")).isEqualTo(Status.RESTARTING);
        ContainerState s = ContainerState.created().toRunning(42, Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(s.running()).isTrue();
        assertThat(s.toStatus(Status.PAUSED).paused()).isTrue();
        assertThat(s.toExited(3, "", false, Instant.now()).pid()).isZero();
    }

    @Test
    void mergeWithTheImageAsDockerDoes() {
        ImageConfig.Config image = ImageConfig.Config.EMPTY.withEnv(List.of("PATH=/bin", "A=1"))
                .withCmd(List.of("sh")).withEntrypoint(List.of("/entry")).withLabels(Map.of("x", "1")).withUser("app");
        ContainerConfig none = ContainerConfig.of("img", List.of());
        ContainerConfig m = ConfigMerge.merge(none, image);
        assertThat(m.cmd()).contains(List.of("sh"));
        assertThat(m.entrypoint()).contains(List.of("/entry"));
        assertThat(m.user()).isEqualTo("app");
        assertThat(ConfigMerge.commandLine(m)).containsExactly("/entry", "sh");
        // a cmd of the user's replaces the image's; the entrypoint stays
        m = ConfigMerge.merge(ContainerConfig.of("img", List.of("echo", "hi")).withEnv(List.of("A=2", "B=3")), image);
        assertThat(ConfigMerge.commandLine(m)).containsExactly("/entry", "echo", "hi");
        assertThat(m.env()).containsExactly("PATH=/bin", "A=2", "B=3");
        // --entrypoint "" drops the image's entrypoint; its cmd is what runs
        m = ConfigMerge.merge(none.withEntrypoint(List.of("")), image);
        assertThat(ConfigMerge.commandLine(m)).containsExactly("sh");
        assertThatThrownBy(() -> ConfigMerge.commandLine(none.withEntrypoint(List.of(""))))
                .hasMessage("no command specified");
        // --entrypoint sh: the image's cmd is not used
        m = ConfigMerge.merge(none.withEntrypoint(List.of("sh")), image);
        assertThat(ConfigMerge.commandLine(m)).containsExactly("sh");
    }

    @Test
    void recordRoundTripsThroughJsonAndTheStore() throws Exception {
        ContainerConfig config = ContainerConfig.of("busybox", List.of("echo", "hi")).withEnv(List.of("A=1"))
                .withLabels(Map.of("k", "v")).withStop("SIGINT", Optional.of(3));
        HostConfig host = HostConfig.DEFAULT.withRestartPolicy(RestartPolicy.parse("on-failure:2"))
                .withMounts(List.of("/a:/b:ro"), List.of(MountSpec.tmpfs("/t", 4096, 0700)), true)
                .withResources(64L << 20, -1, 2_000_000_000L, 100, "0-1", Optional.of(50L))
                .withLogConfig(new LogConfig("json-file", Map.of("max-size", "1m", "max-file", "2")))
                .withDevices(List.of(new DeviceMapping("/dev/fuse", "", ""), new DeviceMapping("/dev/null", "/dev/n", "rw")))
                .withTmpfs(Map.of("/run", "size=64m,exec", "/tmp", ""));
        Health health = new Health(Health.UNHEALTHY, 3, List.of(new Health.Result(Instant.parse("2026-11-26T09:00:02.5Z"),
                Instant.parse("2026-11-26T09:00:03Z"), 1, "boom\n")));
        Container c = new Container(ContainerId.generate(), ContainerName.of("web"), Instant.parse("2026-11-26T09:00:00.123456789Z"),
                Digest.sha256("cfg".getBytes()), config, host, "echo", List.of("hi"),
                ContainerState.created().toRunning(7, Instant.parse("2026-11-26T09:00:01Z")).withHealth(Optional.of(health)), 1, true, true);
        assertThat(new String(ContainerJson.write(c), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"PathOnHost\": \"/dev/fuse\"", "\"PathInContainer\": \"/dev/fuse\"", "\"CgroupPermissions\": \"rwm\"",
                        "\"/run\": \"size=64m,exec\"", "\"FailingStreak\": 3");
        Container back = ContainerJson.read(ContainerJson.write(c), "test");
        assertThat(back).isEqualTo(c);

        ContainerStore store = new ContainerStore(tmp);
        store.create(c.id());
        store.save(c);
        Files.createDirectories(tmp.resolve("containers").resolve(ContainerId.generate())); // a create that crashed
        Files.writeString(tmp.resolve("containers").resolve(c.id()).resolve(".container.json.tmp-x"), "{");
        assertThat(store.loadAll()).containsExactly(c);
        try (var left = Files.list(tmp.resolve("containers"))) {
            assertThat(left.toList()).hasSize(1);
        }
        assertThat(tmp.resolve("containers").resolve(c.id()).resolve(".container.json.tmp-x")).doesNotExist();
        assertThatThrownBy(() -> store.create(c.id())).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT));
    }

    @Test
    void readsADockerCreateBody() {
        String body = """
                {"Hostname":"","User":"","AttachStdout":true,"Tty":false,"OpenStdin":false,"Env":["A=1"],
                 "Cmd":["echo","hi"],"Image":"busybox","Entrypoint":null,"Labels":{},"StopTimeout":5,
                 "HostConfig":{"Binds":null,"NetworkMode":"default","RestartPolicy":{"Name":"no","MaximumRetryCount":0},
                   "AutoRemove":true,"Mounts":[{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1024}}],
                   "Ulimits":[{"Name":"nofile","Soft":10,"Hard":20}],"PidsLimit":null,"Init":true,
                   "LogConfig":{"Type":"","Config":{}}}}""";
        JsonObject o = JsonObject.root("body", Json.parse(body));
        ContainerConfig config = ContainerJson.readConfig(o);
        HostConfig host = ContainerJson.readHostConfig(o.object("HostConfig").orElseThrow());
        assertThat(config.cmd()).contains(List.of("echo", "hi"));
        assertThat(config.entrypoint()).isEmpty();
        assertThat(config.stopTimeout()).contains(5);
        assertThat(host.autoRemove()).isTrue();
        assertThat(host.networkMode()).isEqualTo("default");
        assertThat(host.mounts()).singleElement().satisfies(m -> assertThat(m.tmpfsSizeBytes()).isEqualTo(1024));
        assertThat(host.ulimits()).containsExactly(new Ulimit("nofile", 10, 20));
        assertThat(host.init()).contains(true);
        assertThat(host.logConfig()).isEqualTo(LogConfig.DEFAULT);
        assertThatThrownBy(() -> ContainerJson.readHostConfig(JsonObject.root("b", Json.parse("{\"Memory\":\"x\"}"))))
                .hasMessageContaining("Memory");
    }
}
