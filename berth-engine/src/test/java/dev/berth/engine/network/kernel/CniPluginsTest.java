package dev.berth.engine.network.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin protocol against fake plugins (shell scripts), no root needed. */
class CniPluginsTest {
    @TempDir
    Path dir;

    private void plugin(String name, String script) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static final CniPlugins.Call ADD = new CniPlugins.Call("ADD", "c1", Path.of("/run/x/netns/c1"), "eth0");

    @Test
    void passesTheParametersInTheEnvironmentAndTheConfigOnStdinAndParsesTheResult() throws IOException {
        plugin("echo", """
                config=$(cat)
                printf '{"cniVersion":"1.0.0","env":"%s %s %s %s %s","config":%s}' \
                  "$CNI_COMMAND" "$CNI_CONTAINERID" "$CNI_NETNS" "$CNI_IFNAME" "$CNI_PATH" "$config"
                """);
        var plugins = new CniPlugins(dir, Duration.ofSeconds(10));
        Map<String, Object> r = plugins.run(ADD, Map.of("type", "echo", "name", "n"));
        assertThat(r.get("env")).isEqualTo("ADD c1 /run/x/netns/c1 eth0 " + dir);
        assertThat(((Map<?, ?>) r.get("config")).get("name")).isEqualTo("n");
    }

    @Test
    void anErrorObjectBecomesAnErrorNamingThePlugin() throws IOException {
        plugin("bad", "cat >/dev/null; echo '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"failed to set bridge addr\",\"details\":\"br0 already has an IP address\"}'; exit 1");
        var plugins = new CniPlugins(dir, Duration.ofSeconds(10));
        assertThatThrownBy(() -> plugins.run(ADD, Map.of("type", "bad")))
                .isInstanceOf(BerthException.class)
                .hasMessage("cni plugin bad ADD: failed to set bridge addr: br0 already has an IP address");
    }

    @Test
    void withoutAnErrorObjectStderrSaysWhy() throws IOException {
        plugin("crash", "echo 'panic: boom' >&2; exit 2");
        var plugins = new CniPlugins(dir, Duration.ofSeconds(10));
        assertThatThrownBy(() -> plugins.run(ADD, Map.of("type", "crash"))).hasMessage("cni plugin crash ADD: panic: boom");
    }

    @Test
    void aPluginThatHangsIsKilledAfterTheTimeout() throws IOException {
        plugin("slow", "exec sleep 30");
        var plugins = new CniPlugins(dir, Duration.ofMillis(300));
        assertThatThrownBy(() -> plugins.run(ADD, Map.of("type", "slow"))).hasMessageContaining("timed out");
    }

    @Test
    void aMissingOrOddlyNamedPluginIsRefused() {
        var plugins = new CniPlugins(dir, Duration.ofSeconds(10));
        assertThatThrownBy(() -> plugins.run(ADD, Map.of("type", "nothere")))
                .isInstanceOf(BerthException.class).hasMessage("cni plugin nothere not found in " + dir);
        assertThatThrownBy(() -> plugins.run(ADD, Map.of("type", "../../bin/sh")))
                .hasMessage("invalid cni plugin type: ../../bin/sh");
    }

    @Test
    void delPrintsNothing() throws IOException {
        plugin("quiet", "cat >/dev/null");
        var plugins = new CniPlugins(dir, Duration.ofSeconds(10));
        assertThat(plugins.run(new CniPlugins.Call("DEL", "c1", null, "eth0"), Map.of("type", "quiet"))).isEmpty();
    }
}
