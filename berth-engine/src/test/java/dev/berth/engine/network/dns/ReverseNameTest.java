package dev.berth.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ReverseNameTest {

    @Test
    void readsIpv4AndIpv6ReverseNames() {
        assertThat(ReverseName.address("2.0.201.10.in-addr.arpa")).contains(InetAddress.ofLiteral("10.201.0.2"));
        assertThat(ReverseName.address(nibbles("fd000201000000000000000000000002")))
                .contains(InetAddress.ofLiteral("fd00:201::2"));
        assertThat(ReverseName.address(nibbles("fd00020100000000000000000000000b")))
                .contains(InetAddress.ofLiteral("fd00:201::b"));
    }

    @Test
    void partialMalformedAndOtherNamesAreNoAddress() {
        assertThat(ReverseName.address("0.201.10.in-addr.arpa")).isEmpty();
        assertThat(ReverseName.address("1.2.0.201.10.in-addr.arpa")).isEmpty();
        assertThat(ReverseName.address("256.0.201.10.in-addr.arpa")).isEmpty();
        assertThat(ReverseName.address("02.0.201.10.in-addr.arpa")).isEmpty();
        assertThat(ReverseName.address("x.0.201.10.in-addr.arpa")).isEmpty();
        assertThat(ReverseName.address("in-addr.arpa")).isEmpty();
        assertThat(ReverseName.address("2.0.0.0.ip6.arpa")).isEmpty();
        assertThat(ReverseName.address(nibbles("fd00020100000000000000000000000g"))).isEmpty();
        assertThat(ReverseName.address(nibbles("fd0002010000000000000000000002"))).isEmpty();
        assertThat(ReverseName.address("web")).isEmpty();
    }

    /** The ip6.arpa name of 32 hex digits: one label per digit, last digit first. */
    private static String nibbles(String hex) {
        StringBuilder name = new StringBuilder();
        for (int i = hex.length() - 1; i >= 0; i--) {
            name.append(hex.charAt(i)).append('.');
        }
        return name.append("ip6.arpa").toString();
    }

    @Test
    void encodesNamesForThePointerAnswer() {
        assertThat(DnsReply.encodeName("web.mynet")).contains(DnsTestPackets.encodeName("web.mynet"));
        assertThat(DnsReply.encodeName("web.mynet.")).contains(DnsTestPackets.encodeName("web.mynet"));
        assertThat(DnsReply.encodeName("a..b")).isEmpty();
        assertThat(DnsReply.encodeName("x".repeat(64))).isEmpty();
        assertThat(DnsReply.encodeName("wéb")).isEmpty();
    }
}
