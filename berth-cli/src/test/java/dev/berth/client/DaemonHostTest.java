package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DaemonHostTest {
    @Test
    void unixAndTcpAddressesAsDockerWritesThem() {
        DaemonHost unix = DaemonHost.parse("unix:///run/berth/berth.sock", false);
        assertThat(unix.isUnix()).isTrue();
        assertThat(unix.socket()).isEqualTo(Path.of("/run/berth/berth.sock"));
        DaemonHost tcp = DaemonHost.parse("tcp://10.0.0.1:2375", false);
        assertThat(tcp.host()).isEqualTo("10.0.0.1");
        assertThat(tcp.port()).isEqualTo(2375);
        assertThat(tcp.baseUri(false)).isEqualTo("http://10.0.0.1:2375");
        assertThat(DaemonHost.parse("tcp://example.org", true).port()).isEqualTo(2376);
        assertThat(DaemonHost.parse("tcp://example.org", false).port()).isEqualTo(2375);
        assertThat(DaemonHost.parse("example.org:1234", false).port()).isEqualTo(1234);
        assertThat(DaemonHost.parse("tcp://[::1]:2376", true).baseUri(true)).isEqualTo("https://[::1]:2376");
        assertThat(DaemonHost.parse("", false).text()).isEqualTo(DaemonHost.DEFAULT);
    }

    @Test
    void badAddressesAreRefused() {
        assertThatThrownBy(() -> DaemonHost.parse("unix://", false)).hasMessageContaining("invalid bind address");
        assertThatThrownBy(() -> DaemonHost.parse("ftp://x", false)).hasMessageContaining("Invalid bind address");
        assertThatThrownBy(() -> DaemonHost.parse("ssh://me@x", false)).hasMessageContaining("not supported");
    }

    @Test
    void versionsCompareAsNumbers() {
        assertThat(ApiVersion.compare("1.9", "1.41")).isNegative();
        assertThat(ApiVersion.negotiate("1.41")).isEqualTo("1.41");
        assertThat(ApiVersion.negotiate("1.50")).isEqualTo("1.47");
        assertThat(ApiVersion.negotiate(null)).isEqualTo("1.24");
    }

    @Test
    void queriesEncodeAsGo() {
        assertThat(Query.of().add("tag", "a b").add("fromSrc", "-").add("changes", "CMD [\"x\"]").flag("all", true)
                .flag("quiet", false).encode())
                .isEqualTo("all=1&changes=CMD+%5B%22x%22%5D&fromSrc=-&tag=a+b");
        assertThat(Query.of().add("x", "~*").encode()).isEqualTo("x=~%2A");
    }
}
