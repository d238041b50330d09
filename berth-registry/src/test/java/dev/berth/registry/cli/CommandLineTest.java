package dev.berth.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The flag values of berth registry serve and gc, and the exit status of a bad command line. */
class CommandLineTest {
    @Test
    void listenAddresses() {
        assertThat(ListenAddress.parse("127.0.0.1:5000")).isEqualTo(new ListenAddress("127.0.0.1", 5000));
        assertThat(ListenAddress.parse(":5000")).isEqualTo(new ListenAddress("", 5000));
        assertThat(ListenAddress.parse(":5000").urlHost()).isEqualTo("127.0.0.1");
        assertThat(ListenAddress.parse("[::1]:0")).isEqualTo(new ListenAddress("::1", 0));
        assertThat(ListenAddress.parse("[::1]:0").urlHost()).isEqualTo("[::1]");
        for (String bad : new String[] {"5000", "host:port", "::1:5000", "h:70000", "h:-1"}) {
            assertThatThrownBy(() -> ListenAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void durations() {
        assertThat(Quantities.duration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Quantities.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Quantities.duration("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        for (String bad : new String[] {"", "24", "h", "1d", "1h-", "-1h"}) {
            assertThatThrownBy(() -> Quantities.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sizes() {
        assertThat(Quantities.size("4MiB")).isEqualTo(4L << 20);
        assertThat(Quantities.size("4M")).isEqualTo(4L << 20);
        assertThat(Quantities.size("10G")).isEqualTo(10L << 30);
        assertThat(Quantities.size("1048576")).isEqualTo(1 << 20);
        assertThat(Quantities.size("2kb")).isEqualTo(2048);
        for (String bad : new String[] {"", "M", "1.5G", "-1", "99999999999T"}) {
            assertThatThrownBy(() -> Quantities.size(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void wrongCommandLinesExit125AndFailuresExit1() {
        assertThat(RegistryMain.run("serve", "--bogus")).isEqualTo(125);
        assertThat(RegistryMain.run("gc")).isEqualTo(125); // --root is required
        assertThat(RegistryMain.run("serve", "--addr", "nonsense", "--root", "/nonexistent")).isEqualTo(1);
        assertThat(RegistryMain.run("serve", "--auth", "magic", "--addr", "127.0.0.1:0")).isEqualTo(1);
        assertThat(RegistryMain.run("serve", "--tls-cert", "/x", "--addr", "127.0.0.1:0")).isEqualTo(1);
        assertThat(RegistryMain.run("gc", "--root", "/nonexistent/berth-registry-root")).isEqualTo(1);
        assertThat(RegistryMain.run("--help")).isZero();
    }
}
