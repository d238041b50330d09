package dev.berth.engine.network.dns;

import static dev.berth.engine.network.dns.DnsTestPackets.A;
import static dev.berth.engine.network.dns.DnsTestPackets.AAAA;
import static dev.berth.engine.network.dns.DnsTestPackets.MX;
import static dev.berth.engine.network.dns.DnsTestPackets.query;
import static dev.berth.engine.network.dns.DnsTestPackets.tcp;
import static dev.berth.engine.network.dns.DnsTestPackets.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.network.dns.DnsTestPackets.Reply;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded DNS server over real sockets on loopback addresses, with fake upstream servers.
 * Needs no root: 127.0.0.0/8 is the host's, and every port is picked by the kernel.
 */
class EmbeddedDnsTest {
    private static final InetAddress LISTEN = literal("127.0.0.1");
    private static final InetAddress ASKER_A = literal("127.0.0.2");
    private static final InetAddress ASKER_B = literal("127.0.0.3");
    private static final InetAddress UPSTREAM_1 = literal("127.0.0.4");
    private static final InetAddress UPSTREAM_2 = literal("127.0.0.5");
    private static final InetAddress WEB = literal("10.201.0.2");
    private static final InetAddress DB = literal("10.201.0.3");
    private static final InetAddress OUTSIDE = literal("203.0.113.7");
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(300);

    /** What the directory was asked: "asker name v6". */
    private final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** The upstreams of {@link #neverForwardsToItself}: known only once the server listens. */
    private final List<InetSocketAddress> loopTarget = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A directory where ASKER_A sees `names` and ASKER_B sees nothing. */
    private final DnsDirectory directory = (asker, name, v6) -> {
        asked.add(asker.getHostAddress() + " " + name + " " + v6);
        if (!asker.equals(ASKER_A) || !names.containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(names.get(name).stream()
                .filter(a -> v6 == (a instanceof java.net.Inet6Address))
                .toList());
    };

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private EmbeddedDns server(List<InetSocketAddress> upstreams) {
        EmbeddedDns dns = new EmbeddedDns(directory, upstreams, UPSTREAM_TIMEOUT);
        toClose.add(dns);
        return dns;
    }

    private FakeUpstream upstream(InetAddress address, java.util.function.BiFunction<byte[], Boolean, Optional<byte[]>> answers)
            throws IOException {
        FakeUpstream u = new FakeUpstream(address, answers);
        toClose.add(u);
        return u;
    }

    /** An upstream that knows every name: OUTSIDE. */
    private FakeUpstream knowsAll(InetAddress address) throws IOException {
        return upstream(address, (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 0, false, List.of(OUTSIDE))));
    }

    @Test
    void answersContainerNamesFromTheDirectoryCaseInsensitively() throws IOException {
        names.put("web", List.of(WEB));
        InetSocketAddress at = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));

        Reply reply = udp(at, ASKER_A, query(0x1234, "WeB.", A, 0));

        assertThat(reply.id()).isEqualTo(0x1234);
        assertThat(reply.rcode()).isZero();
        assertThat(reply.authoritative()).isTrue();
        assertThat(reply.questionName()).isEqualTo("WeB"); // the question as asked
        assertThat(reply.addresses()).containsExactly(WEB);
        assertThat(reply.ttls()).containsExactly(600);
        assertThat(asked).containsExactly("127.0.0.2 web false");
    }

    @Test
    void aKnownNameWithoutAddressesOfTheFamilyGetsAnEmptyAnswerNotAForward() throws IOException {
        names.put("web", List.of(WEB));
        FakeUpstream up = knowsAll(UPSTREAM_1);
        InetSocketAddress at = server(List.of(up.address())).listen(new InetSocketAddress(LISTEN, 0));

        Reply reply = udp(at, ASKER_A, query(7, "web", AAAA, 0));

        assertThat(reply.rcode()).isZero();
        assertThat(reply.addresses()).isEmpty();
        assertThat(up.udpQueries.get()).isZero();
        assertThat(asked).containsExactly("127.0.0.2 web true");
    }

    @Test
    void answersAaaaFromTheDirectory() throws IOException {
        InetAddress v6 = literal("fd00:201::2");
        names.put("web", List.of(WEB, v6));
        InetSocketAddress at = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(8, "web", AAAA, 0)).addresses()).containsExactly(v6);
        assertThat(udp(at, ASKER_A, query(9, "web", A, 0)).addresses()).containsExactly(WEB);
    }

    @Test
    void forwardsUnknownNamesOtherTypesAndOtherAskersToTheUpstream() throws IOException {
        names.put("web", List.of(WEB));
        FakeUpstream up = knowsAll(UPSTREAM_1);
        InetSocketAddress at = server(List.of(up.address())).listen(new InetSocketAddress(LISTEN, 0));

        Reply unknown = udp(at, ASKER_A, query(21, "example.org", A, 0));
        Reply mx = udp(at, ASKER_A, query(22, "web", MX, 0));
        Reply otherNetwork = udp(at, ASKER_B, query(23, "web", A, 0));

        assertThat(unknown.id()).isEqualTo(21);
        assertThat(unknown.addresses()).containsExactly(OUTSIDE);
        assertThat(unknown.authoritative()).isFalse();
        assertThat(mx.id()).isEqualTo(22);
        assertThat(otherNetwork.addresses()).containsExactly(OUTSIDE);
        assertThat(up.udpQueries.get()).isEqualTo(3);
    }

    @Test
    void triesTheNextUpstreamWhenOneIsSilentOrFails() throws IOException {
        FakeUpstream silent = upstream(UPSTREAM_1, (q, tcp) -> Optional.empty());
        FakeUpstream servfail = upstream(UPSTREAM_2, (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 2, false, List.of())));
        FakeUpstream good = knowsAll(literal("127.0.0.6"));
        InetSocketAddress at = server(List.of(silent.address(), servfail.address(), good.address()))
                .listen(new InetSocketAddress(LISTEN, 0));

        Reply reply = udp(at, ASKER_A, query(31, "example.org", A, 0));

        assertThat(reply.rcode()).isZero();
        assertThat(reply.addresses()).containsExactly(OUTSIDE);
        assertThat(silent.udpQueries.get()).isEqualTo(1);
        assertThat(servfail.udpQueries.get()).isEqualTo(1);
    }

    @Test
    void servfailWhenNoUpstreamAnswersOrThereIsNone() throws IOException {
        FakeUpstream silent = upstream(UPSTREAM_1, (q, tcp) -> Optional.empty());
        InetSocketAddress at = server(List.of(silent.address())).listen(new InetSocketAddress(LISTEN, 0));
        InetSocketAddress none = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(41, "example.org", A, 0)).rcode()).isEqualTo(2);
        assertThat(tcp(at, ASKER_A, query(42, "example.org", A, 0)).rcode()).isEqualTo(2);
        assertThat(udp(none, ASKER_A, query(43, "example.org", A, 0)).rcode()).isEqualTo(2);
    }

    @Test
    void theLastFailureIsRelayedWhenEveryUpstreamFails() throws IOException {
        FakeUpstream refused = upstream(UPSTREAM_1, (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 5, false, List.of())));
        InetSocketAddress at = server(List.of(refused.address())).listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(44, "example.org", A, 0)).rcode()).isEqualTo(5);
    }

    @Test
    void eachAskerGoesToItsOwnUpstreams() throws IOException {
        FakeUpstream first = upstream(UPSTREAM_1, (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 0, false, List.of(OUTSIDE))));
        FakeUpstream second = upstream(UPSTREAM_2, (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 0, false, List.of(DB))));
        EmbeddedDns dns = new EmbeddedDns(
                directory,
                asker -> asker.equals(ASKER_B) ? List.of(second.address()) : List.of(first.address()),
                UPSTREAM_TIMEOUT);
        toClose.add(dns);
        InetSocketAddress at = dns.listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(45, "example.org", A, 0)).addresses()).containsExactly(OUTSIDE);
        assertThat(udp(at, ASKER_B, query(46, "example.org", A, 0)).addresses()).containsExactly(DB);
        assertThat(tcp(at, ASKER_B, query(47, "example.org", A, 0)).addresses()).containsExactly(DB);
    }

    @Test
    void neverForwardsToItself() throws IOException {
        EmbeddedDns dns = new EmbeddedDns(directory, asker -> List.copyOf(loopTarget), UPSTREAM_TIMEOUT);
        toClose.add(dns);
        InetSocketAddress at = dns.listen(new InetSocketAddress(LISTEN, 0));
        loopTarget.add(at);

        assertThat(udp(at, ASKER_A, query(48, "example.org", A, 0)).rcode()).isEqualTo(2);
    }

    /** A directory that also names addresses: WEB is "web.mynet" for ASKER_A. */
    private final class ReverseDirectory implements DnsDirectory, DnsReverseDirectory {
        @Override
        public Optional<List<InetAddress>> lookup(InetAddress asker, String name, boolean ipv6) {
            return directory.lookup(asker, name, ipv6);
        }

        @Override
        public Optional<String> nameOf(InetAddress asker, InetAddress address) {
            asked.add(asker.getHostAddress() + " ptr " + address.getHostAddress());
            return asker.equals(ASKER_A) && address.equals(WEB) ? Optional.of("web.mynet") : Optional.empty();
        }
    }

    @Test
    void answersPointerQuestionsWhenTheDirectoryNamesAddresses() throws IOException {
        FakeUpstream up = knowsAll(UPSTREAM_1);
        EmbeddedDns dns = new EmbeddedDns(new ReverseDirectory(), List.of(up.address()), UPSTREAM_TIMEOUT);
        toClose.add(dns);
        InetSocketAddress at = dns.listen(new InetSocketAddress(LISTEN, 0));

        byte[] raw = udpRaw(at, ASKER_A, query(160, "2.0.201.10.IN-ADDR.ARPA", 12, 0));
        Reply other = udp(at, ASKER_A, query(161, "3.0.201.10.in-addr.arpa", 12, 0));
        Reply fromElsewhere = udp(at, ASKER_B, query(162, "2.0.201.10.in-addr.arpa", 12, 0));

        Reply known = DnsTestPackets.parse(raw);
        assertThat(known.id()).isEqualTo(160);
        assertThat(known.authoritative()).isTrue();
        assertThat(known.ttls()).containsExactly(600);
        byte[] target = DnsTestPackets.encodeName("web.mynet");
        assertThat(java.util.Arrays.copyOfRange(raw, raw.length - target.length, raw.length)).isEqualTo(target);
        assertThat(other.authoritative()).as("forwarded").isFalse();
        assertThat(fromElsewhere.authoritative()).as("forwarded").isFalse();
        assertThat(up.udpQueries.get()).isEqualTo(2);
        assertThat(asked).contains("127.0.0.2 ptr 10.201.0.2", "127.0.0.2 ptr 10.201.0.3", "127.0.0.3 ptr 10.201.0.2");
    }

    @Test
    void pointerQuestionsAreForwardedWhenTheDirectoryCannotNameAddresses() throws IOException {
        FakeUpstream up = knowsAll(UPSTREAM_1);
        InetSocketAddress at = server(List.of(up.address())).listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(163, "2.0.201.10.in-addr.arpa", 12, 0)).authoritative()).isFalse();
        assertThat(up.udpQueries.get()).isEqualTo(1);
    }

    private static byte[] udpRaw(InetSocketAddress server, InetAddress from, byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(query, query.length, server));
            DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
            socket.receive(in);
            return java.util.Arrays.copyOf(in.getData(), in.getLength());
        }
    }

    @Test
    void rotatesTheAddressesOfANameWithSeveral() throws IOException {
        List<InetAddress> replicas = IntStream.rangeClosed(2, 4).mapToObj(i -> literal("10.201.0." + i)).toList();
        names.put("api", replicas);
        InetSocketAddress at = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));

        Set<InetAddress> firsts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Reply reply = udp(at, ASKER_A, query(50 + i, "api", A, 0));
            assertThat(reply.addresses()).containsExactlyInAnyOrderElementsOf(replicas);
            firsts.add(reply.addresses().getFirst());
        }
        assertThat(firsts).containsExactlyInAnyOrderElementsOf(replicas);
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        List<InetAddress> many = IntStream.range(0, 100).mapToObj(i -> literal("10.202.0." + (i + 2))).toList();
        names.put("many", many);
        InetSocketAddress at = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));

        Reply plain = udp(at, ASKER_A, query(60, "many", A, 0));
        Reply edns = udp(at, ASKER_A, query(61, "many", A, 1232));
        Reply overTcp = tcp(at, ASKER_A, query(62, "many", A, 0));

        assertThat(plain.truncated()).isTrue();
        assertThat(plain.size()).isLessThanOrEqualTo(512);
        assertThat(plain.addresses()).isNotEmpty().hasSizeLessThan(100);
        assertThat(edns.truncated()).isTrue();
        assertThat(edns.size()).isLessThanOrEqualTo(1232);
        assertThat(edns.addresses()).hasSizeGreaterThan(plain.addresses().size());
        assertThat(overTcp.truncated()).isFalse();
        assertThat(overTcp.addresses()).containsExactlyInAnyOrderElementsOf(many);
    }

    @Test
    void aTruncatedUpstreamAnswerIsRelayedAndTheTcpRetryForwardedOverTcp() throws IOException {
        List<InetAddress> big = IntStream.range(0, 40).mapToObj(i -> literal("198.51.100." + i)).toList();
        FakeUpstream up = upstream(UPSTREAM_1, (q, overTcp) -> Optional.of(overTcp
                ? DnsTestPackets.answer(q, 0, false, big)
                : DnsTestPackets.answer(q, 0, true, List.of())));
        InetSocketAddress at = server(List.of(up.address())).listen(new InetSocketAddress(LISTEN, 0));

        Reply overUdp = udp(at, ASKER_A, query(70, "big.example", A, 0));
        Reply overTcp = tcp(at, ASKER_A, query(71, "big.example", A, 0));

        assertThat(overUdp.truncated()).isTrue();
        assertThat(overTcp.id()).isEqualTo(71);
        assertThat(overTcp.addresses()).containsExactlyElementsOf(big);
        assertThat(up.tcpQueries.get()).isEqualTo(1);
    }

    @Test
    void aReplyWithAnotherIdIsNotTakenForTheAnswer() throws IOException {
        FakeUpstream spoofer = upstream(UPSTREAM_1, (q, tcp) -> {
            byte[] wrong = DnsTestPackets.answer(q, 0, false, List.of(literal("192.0.2.66")));
            wrong[0] ^= 0x55;
            return Optional.of(wrong);
        });
        InetSocketAddress at = server(List.of(spoofer.address())).listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(72, "example.org", A, 0)).rcode()).isEqualTo(2);
    }

    @Test
    void malformedPacketsAreDroppedAndTheServerGoesOn() throws IOException {
        names.put("web", List.of(WEB));
        FakeUpstream up = knowsAll(UPSTREAM_1);
        InetSocketAddress at = server(List.of(up.address())).listen(new InetSocketAddress(LISTEN, 0));
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(new byte[11]);
        byte[] response = query(80, "web", A, 0);
        response[2] |= (byte) 0x80; // QR: a response must never be answered (loops)
        bad.add(response);
        byte[] pointer = query(81, "web", A, 0);
        pointer[12] = (byte) 0xC0; // a compression pointer in the question, at itself
        pointer[13] = 12;
        bad.add(pointer);
        byte[] runsOver = query(82, "web", A, 0);
        bad.add(java.util.Arrays.copyOf(runsOver, runsOver.length - 3));
        byte[] twoQuestions = query(83, "web", A, 0);
        twoQuestions[5] = 2;
        bad.add(twoQuestions);
        byte[] longLabel = query(84, "web", A, 0);
        longLabel[12] = 63; // a label longer than the packet
        bad.add(longLabel);
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[3 + random.nextInt(600)];
            random.nextBytes(junk);
            junk[2] |= (byte) 0x80; // as a response: random junk is never answered, even when it parses
            bad.add(junk);
        }

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ASKER_A, 0))) {
            socket.setSoTimeout(5000);
            for (byte[] packet : bad) {
                socket.send(new DatagramPacket(packet, packet.length, at));
            }
            // A flood can overflow the socket's buffer: ask again as a stub resolver would.
            socket.setSoTimeout(1000);
            byte[] good = query(0x4242, "web", A, 0);
            Reply reply = null;
            for (int attempt = 0; attempt < 5 && reply == null; attempt++) {
                socket.send(new DatagramPacket(good, good.length, at));
                DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
                try {
                    socket.receive(in);
                    reply = DnsTestPackets.parse(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                } catch (SocketTimeoutException e) {
                    // lost in the flood
                }
            }
            assertThat(reply).isNotNull();
            assertThat(reply.id()).as("no junk is answered").isEqualTo(0x4242);
            assertThat(reply.addresses()).containsExactly(WEB);
        }
        assertThat(up.udpQueries.get()).isZero();

        // Over TCP: a malformed message ends that connection, not the server.
        try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {0, 5, 1, 2, 3, 4, 5});
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(tcp(at, ASKER_A, query(85, "web", A, 0)).addresses()).containsExactly(WEB);
    }

    @Test
    void randomQueriesThatParseAreAnsweredOrDroppedWithoutHarm() throws IOException {
        FakeUpstream up = knowsAll(UPSTREAM_1);
        InetSocketAddress at = server(List.of(up.address())).listen(new InetSocketAddress(LISTEN, 0));
        Random random = new Random(11);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ASKER_A, 0))) {
            for (int i = 0; i < 300; i++) {
                byte[] packet = query(i, "x" + i + ".example", A, random.nextBoolean() ? 4096 : 0);
                // flip a few bytes, the header's response bit aside
                for (int j = 0; j < 3; j++) {
                    int at2 = random.nextInt(packet.length);
                    packet[at2] ^= (byte) (1 << random.nextInt(8));
                }
                packet[2] &= 0x7F;
                socket.send(new DatagramPacket(packet, packet.length, at));
            }
        }
        names.put("web", List.of(WEB));
        assertThat(udp(at, ASKER_A, query(999, "web", A, 0)).addresses()).containsExactly(WEB);
    }

    @Test
    void aFloodOfForwardsThatTimeOutDoesNotStarveContainerNames() throws Exception {
        names.put("web", List.of(WEB));
        FakeUpstream silent = upstream(UPSTREAM_1, (q, tcp) -> Optional.empty());
        EmbeddedDns dns = new EmbeddedDns(directory, List.of(silent.address()), Duration.ofSeconds(30));
        toClose.add(dns);
        InetSocketAddress at = dns.listen(new InetSocketAddress(LISTEN, 0));
        int flood = QueryAnswerer.MAX_FORWARDS + 50;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ASKER_B, 0))) {
            for (int i = 0; i < flood; i++) {
                byte[] q = query(i, "slow" + i + ".example", A, 0);
                socket.send(new DatagramPacket(q, q.length, at));
            }
            // the flood may still be arriving: a stub resolver's retries, as in the junk test
            Reply reply = null;
            for (int attempt = 0; attempt < 5 && reply == null; attempt++) {
                try {
                    reply = udp(at, ASKER_A, query(170, "web", A, 0), 1000);
                } catch (SocketTimeoutException e) {
                    // lost in the flood
                }
            }
            assertThat(reply).isNotNull();
            assertThat(reply.addresses()).containsExactly(WEB);
            assertThat(silent.udpQueries.get()).as("forwards waiting at once").isLessThanOrEqualTo(QueryAnswerer.MAX_FORWARDS);
        }
        dns.close(); // interrupts the forwards still waiting for the silent server
    }

    @Test
    void otherOpcodesGetNotImplemented() throws IOException {
        InetSocketAddress at = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));
        byte[] status = query(90, "web", A, 0);
        status[2] = (byte) (2 << 3); // OPCODE 2: STATUS

        assertThat(udp(at, ASKER_A, status).rcode()).isEqualTo(4);
    }

    @Test
    void aFailingDirectoryGivesServfail() throws IOException {
        EmbeddedDns dns = new EmbeddedDns(
                (asker, name, v6) -> {
                    throw new IllegalStateException("the engine is closing");
                },
                List.of(),
                UPSTREAM_TIMEOUT);
        toClose.add(dns);
        InetSocketAddress at = dns.listen(new InetSocketAddress(LISTEN, 0));

        assertThat(udp(at, ASKER_A, query(91, "web", A, 0)).rcode()).isEqualTo(2);
    }

    @Test
    void answersEdnsWithEdns() throws IOException {
        names.put("web", List.of(WEB));
        InetSocketAddress at = server(List.of()).listen(new InetSocketAddress(LISTEN, 0));
        byte[] raw;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ASKER_A, 0))) {
            socket.setSoTimeout(5000);
            byte[] q = query(92, "web", A, 1232);
            socket.send(new DatagramPacket(q, q.length, at));
            DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
            socket.receive(in);
            raw = java.util.Arrays.copyOf(in.getData(), in.getLength());
        }
        assertThat(raw[11]).as("ARCOUNT").isEqualTo((byte) 1);
        assertThat(raw[raw.length - 11]).as("OPT owner: the root").isZero();
        assertThat(((raw[raw.length - 10] & 0xFF) << 8) | (raw[raw.length - 9] & 0xFF)).isEqualTo(41);
    }

    @Test
    void manyListenersShareOneThread() throws IOException {
        names.put("web", List.of(WEB));
        EmbeddedDns dns = server(List.of());
        List<InetSocketAddress> bound = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bound.add(dns.listen(new InetSocketAddress(literal("127.0.1." + (i + 1)), 0)));
        }

        for (InetSocketAddress at : bound) {
            assertThat(udp(at, ASKER_A, query(100, "web", A, 0)).addresses()).containsExactly(WEB);
        }
        assertThat(tcp(bound.getLast(), ASKER_A, query(101, "web", A, 0)).addresses()).containsExactly(WEB);
        long dnsPlatformThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("berth-dns"))
                .count();
        assertThat(dnsPlatformThreads).isEqualTo(toClose.stream().filter(c -> c instanceof EmbeddedDns).count());
        assertThat(dns.listening()).hasSize(40);
    }

    @Test
    void listenIsIdempotentAndUnlistenFreesTheAddressAtOnce() throws IOException {
        EmbeddedDns dns = server(List.of());
        InetSocketAddress requested = new InetSocketAddress(literal("127.0.2.1"), 0);
        InetSocketAddress first = dns.listen(requested);
        assertThat(dns.listen(requested)).isEqualTo(first);

        dns.unlisten(requested);
        dns.unlisten(requested); // twice: nothing

        assertThat(dns.listening()).isEmpty();
        try (DatagramSocket again = new DatagramSocket(first);
                java.net.ServerSocket tcpAgain = new java.net.ServerSocket()) {
            tcpAgain.setReuseAddress(true);
            tcpAgain.bind(first);
            assertThat(again.getLocalPort()).isEqualTo(first.getPort());
        }
        // and the server can take it again
        InetSocketAddress back = dns.listen(first);
        names.put("web", List.of(WEB));
        assertThat(udp(back, ASKER_A, query(110, "web", A, 0)).addresses()).containsExactly(WEB);
    }

    @Test
    void aListenerWithASubnetAnswersOnlyAskersInIt() throws IOException {
        names.put("web", List.of(WEB));
        EmbeddedDns dns = server(List.of());
        // 127.0.0.0/30: the listener and ASKER_A (127.0.0.2) inside, 127.0.0.9 outside
        InetSocketAddress at = dns.listen(new InetSocketAddress(LISTEN, 0), 30);

        assertThat(udp(at, ASKER_A, query(120, "web", A, 0)).addresses()).containsExactly(WEB);
        assertThatThrownBy(() -> udp(at, literal("127.0.0.9"), query(121, "web", A, 0), 500))
                .isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> tcp(at, literal("127.0.0.9"), query(122, "web", A, 0)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void servesIpv6Listeners() throws IOException {
        InetAddress v6 = literal("fd00:201::2");
        names.put("web", List.of(WEB, v6));
        EmbeddedDns dns = new EmbeddedDns((asker, name, wantV6) -> {
                    asked.add(asker.getHostAddress());
                    return directory.lookup(ASKER_A, name, wantV6);
                }, List.of(), UPSTREAM_TIMEOUT);
        toClose.add(dns);
        InetAddress loopback6 = literal("::1");
        InetSocketAddress at = dns.listen(new InetSocketAddress(loopback6, 0), 128);

        assertThat(udp(at, loopback6, query(130, "web", AAAA, 0)).addresses()).containsExactly(v6);
        assertThat(tcp(at, loopback6, query(131, "web", A, 0)).addresses()).containsExactly(WEB);
        assertThat(asked).filteredOn(a -> !a.contains(" ")).containsExactly("0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void anAddressThatCannotBeBoundIsAnError() {
        EmbeddedDns dns = server(List.of());
        // 198.51.100.0/24 is TEST-NET-2: no interface of this host has it
        assertThatThrownBy(() -> dns.listen(new InetSocketAddress(literal("198.51.100.254"), 0)))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("dns: cannot listen on /198.51.100.254:0");
        assertThat(dns.listening()).isEmpty();
    }

    @Test
    void closeEndsTheThreadAndFreesTheSockets() throws Exception {
        EmbeddedDns dns = new EmbeddedDns(directory, List.of(), UPSTREAM_TIMEOUT);
        InetSocketAddress at = dns.listen(new InetSocketAddress(literal("127.0.2.2"), 0));
        try (Socket idle = new Socket(at.getAddress(), at.getPort())) {
            idle.setSoTimeout(5000);
            assertThat(tcp(at, ASKER_A, query(150, "nothing", MX, 0)).rcode()).isEqualTo(2); // the session is up
            dns.close();
            dns.close();
            assertThat(idle.getInputStream().read()).as("an open connection ends too").isEqualTo(-1);
        }

        try (DatagramSocket again = new DatagramSocket(at)) {
            assertThat(again.getLocalPort()).isEqualTo(at.getPort());
        }
        assertThatThrownBy(() -> dns.listen(at)).isInstanceOf(BerthException.class);
    }

    @Test
    void leavesNoSocketBehind() throws Exception {
        long before = openSockets();
        names.put("web", List.of(WEB));
        try (FakeUpstream up = new FakeUpstream(UPSTREAM_1,
                        (q, overTcp) -> Optional.of(DnsTestPackets.answer(q, 0, false, List.of(OUTSIDE))));
                FakeUpstream silent = new FakeUpstream(UPSTREAM_2, (q, overTcp) -> Optional.empty())) {
            EmbeddedDns dns = new EmbeddedDns(directory, List.of(silent.address(), up.address()), UPSTREAM_TIMEOUT);
            InetSocketAddress a = dns.listen(new InetSocketAddress(LISTEN, 0));
            InetSocketAddress b = dns.listen(new InetSocketAddress(literal("127.0.2.3"), 0));
            assertThat(udp(a, ASKER_A, query(140, "web", A, 0)).addresses()).containsExactly(WEB);
            assertThat(udp(b, ASKER_A, query(141, "example.org", A, 0)).addresses()).containsExactly(OUTSIDE);
            assertThat(tcp(b, ASKER_A, query(142, "example.org", A, 0)).addresses()).containsExactly(OUTSIDE);
            dns.unlisten(a);
            dns.close();
        }
        // the server's side of the TCP connection closes on its own thread: give it a moment
        for (int i = 0; i < 50 && openSockets() != before; i++) {
            Thread.sleep(100);
        }
        assertThat(openSockets()).isEqualTo(before);
    }

    /** This JVM's open sockets, from /proc: what a leak would add to. */
    private static long openSockets() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                        } catch (IOException e) {
                            return false; // the listing's own descriptor, closed by now
                        }
                    })
                    .count();
        }
    }

    private static InetAddress literal(String address) {
        return InetAddress.ofLiteral(address);
    }
}
