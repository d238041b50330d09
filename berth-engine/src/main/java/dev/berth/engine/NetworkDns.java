package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.IpPrefix;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkRegistry;
import dev.berth.engine.network.dns.DnsDirectory;
import dev.berth.engine.network.dns.DnsReverseDirectory;
import dev.berth.engine.network.dns.EmbeddedDns;
import dev.berth.engine.network.dns.ResolvConf;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded DNS server's side of the engine: which gateways it listens on (one per
 * user-defined network's pool) and what it answers there, from the containers' records. The
 * caller ({@link ContainerNetworking}) holds its lock around {@link #listen}, {@link #unlisten},
 * {@link #listening} and {@link #close}; the answers read the container table without it.
 */
final class NetworkDns implements DnsDirectory, DnsReverseDirectory {
    private static final System.Logger LOG = System.getLogger(NetworkDns.class.getName());
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(5);

    private final EngineContext ctx;
    /** Made when the first user-defined network needs it: an engine without one has no DNS thread. */
    private EmbeddedDns dns;

    NetworkDns(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Serves DNS on a user-defined network's gateways (under the networking lock); a failure is logged. */
    void listen(Network n) {
        if (!NetworkRegistry.isUserDefined(n)) {
            return;
        }
        for (Network.IpamPool p : n.ipam()) {
            try {
                if (dns == null) {
                    // the host's servers as its resolv.conf says now (re-read when it changes: DHCP, VPNs)
                    dns = new EmbeddedDns(this, ResolvConf.following(ctx.options.host().etc().resolve("resolv.conf")),
                            UPSTREAM_TIMEOUT);
                }
                dns.listen(new InetSocketAddress(InetAddress.getByName(p.gateway()), ResolvConf.DNS_PORT),
                        IpPrefix.parse(p.subnet()).bits());
            } catch (RuntimeException | UnknownHostException e) {
                LOG.log(System.Logger.Level.WARNING, "embedded DNS on " + n.name() + " (" + p.gateway() + "): " + e.getMessage());
            }
        }
    }

    void unlisten(Network n) {
        if (dns == null) {
            return;
        }
        for (Network.IpamPool p : n.ipam()) {
            try {
                dns.unlisten(new InetSocketAddress(InetAddress.getByName(p.gateway()), ResolvConf.DNS_PORT));
            } catch (RuntimeException | UnknownHostException e) {
                LOG.log(System.Logger.Level.WARNING, "embedded DNS on " + n.name() + ": " + e.getMessage());
            }
        }
    }

    /**
     * The embedded DNS server's question: the containers with a run set up that share a user-defined
     * network with the asker and answer to {@code name} there (container name, network alias,
     * short id; case-insensitive), their addresses on that network in a shuffled order.
     */
    @Override
    public Optional<List<InetAddress>> lookup(InetAddress asker, String name, boolean ipv6) {
        List<Container> running = withAddresses();
        Set<String> askerNetworks = askerNetworks(running, asker);
        if (askerNetworks.isEmpty()) {
            return Optional.empty();
        }
        String q = name.toLowerCase(Locale.ROOT);
        if (q.endsWith(".")) {
            q = q.substring(0, q.length() - 1);
        }
        boolean known = false;
        List<InetAddress> out = new ArrayList<>();
        for (Container c : running) {
            for (EndpointSettings e : c.networks().values()) {
                if (!askerNetworks.contains(e.networkId()) || e.dnsNames().isEmpty() || !answersTo(c, e, q)) {
                    continue;
                }
                known = true;
                String address = ipv6 ? e.ipv6Address() : e.ipv4Address();
                if (!address.isEmpty()) {
                    try {
                        out.add(InetAddress.getByName(address));
                    } catch (UnknownHostException ignored) {
                        // a literal address always parses
                    }
                }
            }
        }
        if (!known) {
            return Optional.empty();
        }
        Collections.shuffle(out);
        return Optional.of(out);
    }

    /**
     * PTR questions: a container's address on a user-defined network the asker shares is
     * {@code <container name>.<network name>}, as docker's embedded DNS answers.
     */
    @Override
    public Optional<String> nameOf(InetAddress asker, InetAddress address) {
        List<Container> running = withAddresses();
        Set<String> askerNetworks = askerNetworks(running, asker);
        BigInteger wanted = IpPrefix.toNumber(address);
        for (Container c : running) {
            for (Map.Entry<String, EndpointSettings> e : c.networks().entrySet()) {
                EndpointSettings ep = e.getValue();
                if (askerNetworks.contains(ep.networkId()) && (is(ep.ipv4Address(), wanted) || is(ep.ipv6Address(), wanted))) {
                    return Optional.of(c.name().bare() + "." + e.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The containers with a run set up: not only the running ones, since a container asks as
     * soon as its process starts, before its record says running; an endpoint has addresses
     * exactly while its run is set up.
     */
    private List<Container> withAddresses() {
        return ctx.table.list(true).stream().filter(ContainerNetworking::hasAddresses).toList();
    }

    /** The user-defined networks (ids) of the container that has the asker's address; empty for a stranger. */
    private static Set<String> askerNetworks(List<Container> containers, InetAddress asker) {
        BigInteger from = IpPrefix.toNumber(asker);
        Set<String> out = new java.util.HashSet<>();
        for (Container c : containers) {
            for (EndpointSettings e : c.networks().values()) {
                if (!e.dnsNames().isEmpty() && (is(e.ipv4Address(), from) || is(e.ipv6Address(), from))) {
                    c.networks().values().stream().filter(x -> !x.dnsNames().isEmpty()).forEach(x -> out.add(x.networkId()));
                }
            }
        }
        return out;
    }

    /** Its current name (a rename counts at once), its aliases on the network, its short id. */
    private static boolean answersTo(Container c, EndpointSettings e, String q) {
        if (c.name().bare().toLowerCase(Locale.ROOT).equals(q) || c.id().substring(0, 12).equals(q)) {
            return true;
        }
        return e.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(q));
    }

    private static boolean is(String address, BigInteger n) {
        return !address.isEmpty() && ContainerNetworking.number(address).equals(n);
    }

    /** The addresses the server listens on (for tests). */
    Set<InetSocketAddress> listening() {
        return dns == null ? Set.of() : dns.listening();
    }

    void close() {
        if (dns != null) {
            dns.close();
            dns = null;
        }
    }
}
