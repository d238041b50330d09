package dev.berth.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags, daemon.json and -H addresses, read as dockerd reads them. */
class ConfigTest {
    @TempDir
    Path dir;

    private DaemonConfig load(String... args) {
        return DaemonConfig.load(CommandLine.parse(List.of(args)));
    }

    /** An empty daemon.json: keeps the host's /etc/berth/daemon.json out of these tests. */
    private Path none() {
        Path file = dir.resolve("none.json");
        try {
            Files.writeString(file, "{}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    @Test
    void defaultsAreBerthsPaths() {
        DaemonConfig c = load("--config-file", none().toString());
        assertThat(c.hosts()).extracting(HostAddress::toString).containsExactly("unix:///run/berth/berth.sock");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(c.execRoot()).isEqualTo(Path.of("/run/berth"));
        assertThat(c.pidfile()).isEqualTo(Path.of("/run/berth/berthd.pid"));
        assertThat(c.tls()).isFalse();
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void flagsInEveryPflagSpelling() {
        DaemonConfig c = load("-H", "unix:///tmp/a.sock", "--host=tcp://127.0.0.1:2375", "-Htcp://:9999",
                "--data-root", "/d", "--exec-root=/e", "-D", "--tlsverify=false", "--log-level", "warn",
                "--config-file=" + none());
        assertThat(c.hosts()).extracting(HostAddress::toString)
                .containsExactly("unix:///tmp/a.sock", "tcp://127.0.0.1:2375", "tcp://127.0.0.1:9999");
        assertThat(c.dataRoot()).isEqualTo(Path.of("/d"));
        assertThat(c.pidfile()).isEqualTo(Path.of("/e/berthd.pid"));
        assertThat(c.debug()).isTrue();
        assertThat(c.tlsVerify()).isFalse();
        assertThat(c.logLevel()).isEqualTo(LogLevel.WARN);
    }

    @Test
    void tlsverifyImpliesTlsAndPort2376() {
        DaemonConfig c = load("--tlsverify", "-H", "tcp://0.0.0.0", "--config-file", none().toString());
        assertThat(c.tls()).isTrue();
        assertThat(c.hosts().getFirst().port()).isEqualTo(2376);
        assertThat(load("-H", "tcp://[::1]", "--config-file", none().toString()).hosts().getFirst())
                .isEqualTo(new HostAddress(HostAddress.Scheme.TCP, null, "::1", 2375));
    }

    @Test
    void badFlagsAreRefusedWithPflagsWords() {
        assertThatThrownBy(() -> CommandLine.parse(List.of("--nope"))).hasMessage("unknown flag: --nope");
        assertThatThrownBy(() -> CommandLine.parse(List.of("-x"))).hasMessage("unknown shorthand flag: 'x' in -x");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--data-root"))).hasMessage("flag needs an argument: --data-root");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--tls=maybe"))).hasMessageContaining("invalid argument \"maybe\" for \"--tls\"");
        assertThatThrownBy(() -> load("--log-level", "loud", "--config-file", none().toString()))
                .hasMessage("unable to parse logging level: loud");
        assertThatThrownBy(() -> load("-H", "udp://x", "--config-file", none().toString()))
                .hasMessage("Invalid bind address format: udp://x");
        assertThatThrownBy(() -> load("-H", "tcp://h:99999", "--config-file", none().toString()))
                .hasMessageContaining("invalid port");
    }

    @Test
    void daemonJsonSetsWhatFlagsDoNot() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, """
                {"hosts": ["unix:///tmp/x.sock"], "data-root": "/srv/berth", "debug": true, "log-level": "debug",
                 "tls": true, "tlscert": "/c.pem", "tlskey": "/k.pem", "tlscacert": "/ca.pem", "tlsverify": true,
                 "exec-root": "/run/x", "pidfile": "/run/x.pid"}
                """);
        DaemonConfig c = load("--config-file", file.toString());
        assertThat(c.dataRoot()).isEqualTo(Path.of("/srv/berth"));
        assertThat(c.hosts()).extracting(HostAddress::toString).containsExactly("unix:///tmp/x.sock");
        assertThat(c.tlsCert()).isEqualTo(Path.of("/c.pem"));
        assertThat(c.pidfile()).isEqualTo(Path.of("/run/x.pid"));
    }

    @Test
    void aSettingInBothPlacesIsDockerdsConflict() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"hosts\": [\"tcp://127.0.0.1:2375\"], \"debug\": false}");
        assertThatThrownBy(() -> load("--config-file", file.toString(), "-H", "unix:///a.sock", "-D"))
                .isInstanceOf(BerthException.class)
                .hasMessage("unable to configure berthd with file " + file + ": the following directives are specified"
                        + " both as a flag and in the configuration file: hosts: (from flag: [unix:///a.sock],"
                        + " from file: [tcp://127.0.0.1:2375]), debug: (from flag: true, from file: false)");
    }

    @Test
    void unknownKeysAndWrongTypesAreRefused() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"storage-driver\": \"overlay2\", \"bogus\": 1, \"debug\": true}");
        assertThatThrownBy(() -> load("--config-file", file.toString()))
                .hasMessage("unable to configure berthd with file " + file
                        + ": the following directives don't match any configuration option: storage-driver, bogus");
        Files.writeString(file, "{\"debug\": \"yes\"}");
        assertThatThrownBy(() -> load("--config-file", file.toString())).hasMessageEndingWith("debug must be true or false");
        Files.writeString(file, "{\"debug\": tru");
        assertThatThrownBy(() -> load("--config-file", file.toString())).hasMessageContaining("malformed JSON");
    }

    @Test
    void aConfigFileNamedOnTheCommandLineMustExist() {
        Path absent = dir.resolve("absent.json");
        assertThatThrownBy(() -> load("--config-file", absent.toString()))
                .isInstanceOf(BerthException.class)
                .hasMessage("unable to configure berthd with file " + absent + ": open " + absent + ": no such file or directory");
    }

    @Test
    void aMissingDefaultConfigFileIsNoConfig() {
        assertThat(DaemonJson.read(dir.resolve("absent.json"), false)).isEmpty();
    }

    @Test
    void anEmptyConfigFileIsNoConfig() throws Exception {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertThat(load("--config-file", empty.toString()).dataRoot()).isEqualTo(Path.of("/var/lib/berth"));
    }

    @Test
    void theDefaultBridgeComesFromBridgeAndBipFlagsOrDaemonJson() throws Exception {
        DaemonConfig defaults = load("--config-file", none().toString());
        assertThat(defaults.bridge()).isEmpty();
        assertThat(defaults.bip()).isEmpty();
        DaemonConfig flags = load("-b", "bt0", "--bip=10.210.0.1/24", "--config-file", none().toString());
        assertThat(flags.bridge()).isEqualTo("bt0");
        assertThat(flags.bip()).isEqualTo("10.210.0.1/24");
        assertThat(load("--bridge=none", "--config-file", none().toString()).bridge()).isEqualTo("none");

        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"bridge\": \"bt1\", \"bip\": \"10.211.0.1/16\"}");
        DaemonConfig fromFile = load("--config-file", file.toString());
        assertThat(fromFile.bridge()).isEqualTo("bt1");
        assertThat(fromFile.bip()).isEqualTo("10.211.0.1/16");
        assertThatThrownBy(() -> load("-b", "bt2", "--config-file", file.toString()))
                .hasMessageContaining("the following directives are specified both as a flag and in the configuration file: bridge: (from flag: bt2, from file: bt1)");
    }

    @Test
    void badBridgeSettingsAreRefusedInDockerdsWords() {
        assertThatThrownBy(() -> load("-b", "none", "--bip", "10.210.0.1/24", "--config-file", none().toString()))
                .hasMessage("You specified -b & --bip, mutually exclusive options. Please specify only one");
        assertThatThrownBy(() -> load("--bip", "bogus", "--config-file", none().toString()))
                .hasMessage("invalid CIDR address: bogus");
        assertThatThrownBy(() -> load("--bip", "10.210.0.1", "--config-file", none().toString()))
                .hasMessage("invalid CIDR address: 10.210.0.1");
        assertThatThrownBy(() -> load("--bip", "10.210.0.300/24", "--config-file", none().toString()))
                .hasMessage("invalid CIDR address: 10.210.0.300/24");
        assertThatThrownBy(() -> load("-b", "a-bridge-name-too-long", "--config-file", none().toString()))
                .hasMessageStartingWith("invalid bridge name \"a-bridge-name-too-long\"");
        assertThatThrownBy(() -> load("-b", "br/0", "--config-file", none().toString()))
                .hasMessageStartingWith("invalid bridge name \"br/0\"");
    }
}
