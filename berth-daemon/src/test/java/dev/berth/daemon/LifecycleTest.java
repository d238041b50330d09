package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.config.Option;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.Tarballs;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.oci.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pid files, sockets, several daemons side by side, and what survives a restart. */
class LifecycleTest {
    @TempDir
    Path dir;

    @Test
    void aLivePidFileRefusesASecondDaemonAndAStaleOneIsReplaced() throws Exception {
        try (Daemon first = TestDaemons.start(dir)) {
            Path pidfile = dir.resolve("exec/berthd.pid");
            assertThat(Files.readString(pidfile)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            // another process's pid, alive: this JVM's parent
            Files.writeString(pidfile, Long.toString(ProcessHandle.current().parent().orElseThrow().pid()));
            Map<Option, Object> v = new EnumMap<>(Option.class);
            v.put(Option.HOSTS, List.of("unix://" + dir.resolve("other.sock")));
            v.put(Option.DATA_ROOT, dir.resolve("data2").toString());
            v.put(Option.EXEC_ROOT, dir.resolve("exec").toString());
            v.put(Option.BRIDGE, "none"); // no default bridge: see TestDaemons
            assertThatThrownBy(() -> Daemon.start(DaemonConfig.resolve(v)))
                    .hasMessage("pid file found, ensure berthd is not running or delete " + pidfile);
        }
        Files.writeString(dir.resolve("exec/berthd.pid"), "999999999");
        try (Daemon again = TestDaemons.start(dir)) {
            assertThat(RawHttp.call(TestDaemons.socket(dir), "GET", "/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void aSocketServedByAnotherDaemonIsNotTakenOver() {
        try (Daemon first = TestDaemons.start(dir)) {
            Map<Option, Object> v = new EnumMap<>(Option.class);
            v.put(Option.HOSTS, List.of("unix://" + TestDaemons.socket(dir)));
            v.put(Option.DATA_ROOT, dir.resolve("data2").toString());
            v.put(Option.EXEC_ROOT, dir.resolve("exec2").toString());
            v.put(Option.BRIDGE, "none"); // no default bridge: see TestDaemons
            assertThatThrownBy(() -> Daemon.start(DaemonConfig.resolve(v))).hasMessageContaining("another daemon is serving it");
            assertThat(dir.resolve("exec2/berthd.pid")).doesNotExist();
        }
    }

    @Test
    void closeRemovesSocketAndPidFile() {
        Daemon d = TestDaemons.start(dir);
        d.close();
        assertThat(TestDaemons.socket(dir)).doesNotExist();
        assertThat(dir.resolve("exec/berthd.pid")).doesNotExist();
    }

    @Test
    void daemonsSideBySideKeepTheirOwnImagesAndIds() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        try (Daemon da = TestDaemons.start(a); Daemon db = TestDaemons.start(b)) {
            Path sa = TestDaemons.socket(a);
            Path sb = TestDaemons.socket(b);
            assertThat(RawHttp.call(sa, "POST", "/images/create?fromSrc=-&repo=only-in-a", "application/x-tar",
                    Tarballs.rootfs("a")).status()).isEqualTo(200);
            assertThat(Json.parse(RawHttp.call(sa, "GET", "/images/json").text()).toString()).contains("only-in-a:latest");
            assertThat(Json.parse(RawHttp.call(sb, "GET", "/images/json").text())).isEqualTo(List.of());
            assertThat(info(sa).get("ID")).isNotEqualTo(info(sb).get("ID"));
            assertThat(info(sa).get("DockerRootDir")).isEqualTo(a.resolve("data").toString());
        }
        // a restarted daemon finds its id and its images as they were
        String id;
        try (Daemon again = TestDaemons.start(a)) {
            id = (String) info(TestDaemons.socket(a)).get("ID");
            assertThat(Json.parse(RawHttp.call(TestDaemons.socket(a), "GET", "/images/json").text()).toString())
                    .contains("only-in-a:latest");
        }
        try (Daemon third = TestDaemons.start(a)) {
            assertThat(info(TestDaemons.socket(a)).get("ID")).isEqualTo(id);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> info(Path socket) throws Exception {
        return (Map<String, Object>) Json.parse(RawHttp.call(socket, "GET", "/info").text());
    }
}
