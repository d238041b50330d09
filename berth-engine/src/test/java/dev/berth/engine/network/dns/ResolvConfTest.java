package dev.berth.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {

    @Test
    void readsNameserversInOrderWithCommentsAndOddLines() {
        String text = """
                # written by dhclient
                search corp.example
                nameserver 10.255.255.53
                nameserver   fd00::53 # the v6 one
                ; nameserver 9.9.9.9
                nameserver not-an-address
                nameserver 127.0.0.53
                nameserver 10.255.255.53
                nameserver
                options ndots:2
                """;

        assertThat(ResolvConf.nameservers(text)).containsExactly(
                server("10.255.255.53"), server("fd00::53"), server("127.0.0.53"));
    }

    @Test
    void keepsAnIpv6Zone() {
        InetSocketAddress s = ResolvConf.nameservers("nameserver fe80::1%lo\nnameserver fe80::2%nosuch0\n").getFirst();
        assertThat(s.getAddress().getHostAddress()).isEqualTo("fe80:0:0:0:0:0:0:1%1");
        assertThat(ResolvConf.nameservers("nameserver fe80::2%nosuch0\n")).isEmpty();
    }

    @Test
    void aMissingFileHasNoNameservers(@TempDir Path dir) throws IOException {
        assertThat(ResolvConf.nameservers(dir.resolve("resolv.conf"))).isEmpty();
        Files.writeString(dir.resolve("r"), "nameserver 192.0.2.53\n");
        assertThat(ResolvConf.nameservers(dir.resolve("r"))).containsExactly(server("192.0.2.53"));
    }

    @Test
    void followsTheFileAsItChanges(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("resolv.conf");
        DnsUpstreams upstreams = ResolvConf.following(file);
        InetAddress asker = InetAddress.ofLiteral("10.204.0.2");
        assertThat(upstreams.forAsker(asker)).isEmpty();

        Files.writeString(file, "nameserver 192.0.2.53\n");
        assertThat(upstreams.forAsker(asker)).containsExactly(server("192.0.2.53"));

        // another file moved into place, as resolvconf and NetworkManager do: a new inode
        Path next = dir.resolve("resolv.conf.new");
        Files.writeString(next, "nameserver 192.0.2.54\nnameserver 192.0.2.55\n");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(upstreams.forAsker(asker)).containsExactly(server("192.0.2.54"), server("192.0.2.55"));

        Files.delete(file);
        assertThat(upstreams.forAsker(asker)).isEmpty();
    }

    private static InetSocketAddress server(String address) {
        return new InetSocketAddress(InetAddress.ofLiteral(address), 53);
    }
}
