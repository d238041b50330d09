package dev.berth.engine.network.dns;

import static dev.berth.engine.network.dns.DnsTestPackets.A;
import static dev.berth.engine.network.dns.DnsTestPackets.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsQueryTest {

    private static Optional<DnsQuery> parse(byte[] packet) {
        return DnsQuery.parse(packet, packet.length);
    }

    @Test
    void readsTheQuestionAndTheEdnsSize() {
        DnsQuery q = parse(query(0xBEEF, "My-Web.Example.", A, 1232)).orElseThrow();

        assertThat(q.id()).isEqualTo(0xBEEF);
        assertThat(q.name()).contains("my-web.example");
        assertThat(q.type()).isEqualTo(A);
        assertThat(q.qclass()).isEqualTo(1);
        assertThat(q.recursionDesired()).isTrue();
        assertThat(q.ednsPayload()).isEqualTo(1232);
        assertThat(q.asksForAddress()).isTrue();
        assertThat(DnsReply.udpLimit(q)).isEqualTo(1232);
    }

    @Test
    void theUdpLimitIs512WithoutEdnsAndAtMost4096() {
        assertThat(DnsReply.udpLimit(parse(query(1, "a", A, 0)).orElseThrow())).isEqualTo(512);
        assertThat(DnsReply.udpLimit(parse(query(1, "a", A, 65000)).orElseThrow())).isEqualTo(4096);
        assertThat(DnsReply.udpLimit(parse(query(1, "a", A, 100)).orElseThrow())).isEqualTo(512);
    }

    @Test
    void aNameWithOddBytesIsForwardedNotLookedUp() {
        byte[] packet = query(1, "we b", A, 0);
        DnsQuery q = parse(packet).orElseThrow();
        assertThat(q.name()).isEmpty();

        byte[] dotted = query(2, "wexb", A, 0);
        dotted[15] = '.'; // a dot inside a label: "we.b" as one label
        assertThat(parse(dotted).orElseThrow().name()).isEmpty();
    }

    @Test
    void theRootNameIsAQuestionToo() {
        assertThat(parse(query(1, ".", A, 0)).orElseThrow().name()).contains("");
    }

    @Test
    void dropsWhatIsNoQuery() {
        byte[] good = query(1, "web", A, 0);
        assertThat(parse(Arrays.copyOf(good, 11))).isEmpty();
        assertThat(DnsQuery.parse(good, good.length + 1)).isEmpty();

        byte[] answerCount = good.clone();
        answerCount[7] = 1;
        assertThat(parse(answerCount)).isEmpty();

        byte[] noQuestion = good.clone();
        noQuestion[5] = 0;
        assertThat(parse(noQuestion)).isEmpty();

        byte[] badAdditional = query(1, "web", A, 1232);
        assertThat(parse(Arrays.copyOf(badAdditional, badAdditional.length - 1))).isEmpty();

        byte[] reserved = good.clone();
        reserved[12] = (byte) 0x43; // label type 01: reserved
        assertThat(parse(reserved)).isEmpty();
    }

    @Test
    void aNameLongerThan255BytesIsDropped() {
        String label = "a".repeat(63);
        String ok = String.join(".", label, label, label, "a".repeat(61)); // 4*64 - 2 + 1 = 255 bytes
        String tooLong = String.join(".", label, label, label, "a".repeat(62));
        assertThat(parse(query(1, ok, A, 0))).isPresent();
        assertThat(parse(query(1, tooLong, A, 0))).isEmpty();
    }

    @Test
    void keepsTheQuestionAsWritten() {
        byte[] packet = query(1, "WeB", A, 0);
        DnsQuery q = parse(packet).orElseThrow();
        assertThat(q.question()).isEqualTo(Arrays.copyOfRange(packet, 12, packet.length));
        assertThat(q.packet()).isEqualTo(packet);
    }
}
