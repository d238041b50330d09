package dev.berth.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.naming.NamingEnumeration;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server against DNS clients written by others: the JDK's own DNS resolver (JNDI, which
 * retries over TCP on a truncated answer) and busybox's nslookup, what containers made from
 * busybox run. busybox only asks port 53, hence root for that one.
 */
class DnsClientInteropTest {
    private static final Map<String, List<InetAddress>> NAMES = Map.of(
            "web", List.of(InetAddress.ofLiteral("10.203.0.2"), InetAddress.ofLiteral("fd00:203::2")),
            "many", IntStream.range(0, 100).mapToObj(i -> InetAddress.ofLiteral("10.203.1." + (i + 2))).toList());
    private static final InetAddress OUTSIDE = InetAddress.ofLiteral("203.0.113.9");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private EmbeddedDns server() throws IOException {
        FakeUpstream upstream = new FakeUpstream(
                InetAddress.ofLiteral("127.0.0.4"),
                (q, tcp) -> Optional.of(DnsTestPackets.answer(q, 0, false, List.of(OUTSIDE))));
        toClose.add(upstream);
        EmbeddedDns dns = new EmbeddedDns(new Directory(), List.of(upstream.address()), Duration.ofSeconds(2));
        toClose.add(dns);
        return dns;
    }

    /** NAMES, and web's addresses named "web.mynet" (docker's PTR answer). */
    private static final class Directory implements DnsDirectory, DnsReverseDirectory {
        @Override
        public Optional<List<InetAddress>> lookup(InetAddress asker, String name, boolean v6) {
            return Optional.ofNullable(NAMES.get(name))
                    .map(all -> all.stream().filter(a -> v6 == (a instanceof java.net.Inet6Address)).toList());
        }

        @Override
        public Optional<String> nameOf(InetAddress asker, InetAddress address) {
            return NAMES.get("web").contains(address) ? Optional.of("web.mynet") : Optional.empty();
        }
    }

    @Test
    void theJdkResolverReadsOurAnswersAndFallsBackToTcpForTheLargeOne() throws Exception {
        InetSocketAddress at = server().listen(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));

        assertThat(jndi(at, "web", "A")).containsExactly("10.203.0.2");
        assertThat(jndi(at, "WEB.", "AAAA")).containsExactly("fd00:203::2");
        assertThat(jndi(at, "example.org", "A")).containsExactly("203.0.113.9");
        List<String> many = jndi(at, "many", "A");
        assertThat(many).hasSize(100); // 100 A records do not fit 512 bytes: TC, then TCP
        assertThat(jndi(at, "2.0.203.10.in-addr.arpa", "PTR")).containsExactly("web.mynet.");
    }

    private static List<String> jndi(InetSocketAddress server, String name, String type) throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + server.getAddress().getHostAddress() + ":" + server.getPort());
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        DirContext context = new InitialDirContext(env);
        try {
            Attribute attribute = context.getAttributes(name, new String[] {type}).get(type);
            List<String> values = new ArrayList<>();
            if (attribute != null) {
                NamingEnumeration<?> all = attribute.getAll();
                while (all.hasMore()) {
                    values.add(String.valueOf(all.next()));
                }
            }
            return values;
        } finally {
            context.close();
        }
    }

    @Test
    void busyboxNslookupResolvesContainerNamesAndForwardedOnes() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "busybox nslookup asks port 53: needs root");
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isExecutable(busybox), "needs /bin/busybox");
        // A loopback address of this test's own (pid-derived): port 53 there is nobody else's.
        long pid = ProcessHandle.current().pid();
        InetAddress address = InetAddress.ofLiteral("127.53." + ((pid >> 8) & 0xFF) + "." + Math.max(1, pid & 0xFF));
        server().listen(new InetSocketAddress(address, ResolvConf.DNS_PORT));

        String web = nslookup(busybox, "web", address);
        String outside = nslookup(busybox, "example.org", address);
        String reverse = nslookup(busybox, "10.203.0.2", address);

        assertThat(web).contains("Address: 10.203.0.2").contains("Address: fd00:203::2");
        assertThat(outside).contains("Address: 203.0.113.9");
        assertThat(reverse).contains("name = web.mynet");
    }

    private static String nslookup(Path busybox, String name, InetAddress server) throws Exception {
        Process p = new ProcessBuilder(busybox.toString(), "nslookup", name, server.getHostAddress())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("nslookup ends").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
