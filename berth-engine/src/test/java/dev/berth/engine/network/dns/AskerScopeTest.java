package dev.berth.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AskerScopeTest {

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void admitsTheSubnetOnly() {
        AskerScope v4 = AskerScope.of(ip("10.204.0.1"), 20);
        assertThat(v4.admits(ip("10.204.15.254"))).isTrue();
        assertThat(v4.admits(ip("10.204.16.1"))).isFalse();
        assertThat(v4.admits(ip("10.205.0.1"))).isFalse();
        assertThat(v4.admits(ip("fd00::1"))).isFalse();

        AskerScope v6 = AskerScope.of(ip("fd00:204::1"), 64);
        assertThat(v6.admits(ip("fd00:204::abcd"))).isTrue();
        assertThat(v6.admits(ip("fd00:205::1"))).isFalse();
        assertThat(v6.admits(ip("10.204.0.2"))).isFalse();
    }

    @Test
    void anIpv4AskerSeenThroughAnIpv6SocketCountsAsIpv4() {
        AskerScope v4 = AskerScope.of(ip("10.204.0.1"), 24);
        assertThat(v4.admits(ip("::ffff:10.204.0.9"))).isTrue();
        assertThat(v4.admits(ip("::ffff:10.9.0.9"))).isFalse();
    }

    @Test
    void edgesOfThePrefix() {
        assertThat(AskerScope.of(ip("10.204.0.1"), 32).admits(ip("10.204.0.1"))).isTrue();
        assertThat(AskerScope.of(ip("10.204.0.1"), 32).admits(ip("10.204.0.2"))).isFalse();
        assertThat(AskerScope.of(ip("10.204.0.1"), 0).admits(ip("192.0.2.1"))).isTrue();
        assertThat(AskerScope.of(ip("10.204.0.1"), -1).admits(ip("fd00::1"))).isTrue();
    }
}
