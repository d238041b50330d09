package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.IpPrefix;
import dev.berth.engine.network.Ipam;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkKernel;
import dev.berth.engine.network.NetworkRegistry;
import dev.berth.engine.network.PortAllocator;
import dev.berth.engine.network.PortBinding;
import dev.berth.engine.network.PortKeys;
import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A container's place on its networks through its lifecycle. At create: the network mode
 * resolved ("default" is the default bridge, or none without one) and the endpoints checked.
 * At start: a pinned namespace from the {@link NetworkKernel}, lo up, one veth per bridge network
 * (eth0 on the first, which has the default route), addresses from the {@link Ipam}, host ports
 * reserved and mapped; the namespace's path goes into the OCI spec. At exit: all of it undone,
 * the record's addresses cleared (docker shows none for a stopped container). Also the networks'
 * recovery when the engine opens; the embedded DNS server's part is {@link NetworkDns}.
 *
 * <p>Locks: a container's slot lock, then {@link #lock} (which guards the registry, the IPAM
 * and the DNS listeners); kernel calls for one container run under its slot lock only.
 */
final class ContainerNetworking {
    private static final System.Logger LOG = System.getLogger(ContainerNetworking.class.getName());

    private final EngineContext ctx;
    final NetworkKernel kernel;
    final NetworkRegistry registry;
    final Ipam ipam = new Ipam();
    final PortAllocator hostPorts = new PortAllocator();
    final Object lock = new Object();
    /** The embedded DNS server's listeners and answers. */
    final NetworkDns dns;

    ContainerNetworking(EngineContext ctx, NetworkKernel kernel, NetworkRegistry registry) {
        this.ctx = ctx;
        this.kernel = kernel;
        this.registry = registry;
        this.dns = new NetworkDns(ctx);
    }

    // ---- create ----

    /** The mode a create records ("default" resolved) and the networks the container is on. */
    record Placement(String mode, Map<String, EndpointSettings> networks) {}

    Placement forCreate(dev.berth.engine.CreateRequest request) {
        HostConfig hc = request.hostConfig();
        String mode = hc.networkMode();
        synchronized (lock) {
            if (mode.equals("default")) {
                mode = registry.defaultBridge().isPresent() ? NetworkRegistry.BRIDGE : NetworkRegistry.NONE;
            }
            if (hc.networkContainer().isPresent()) {
                checkSharedNamespace(request);
                // recorded by id, as dockerd does: a later rename of the other container changes nothing
                String other = ctx.table.find(hc.networkContainer().get()).id();
                return new Placement("container:" + other, Map.of());
            }
            Network primary = registry.find(mode);
            if (!NetworkRegistry.isBridge(primary)) {
                // host and none, by name or id: an address or alias asked for there is refused as dockerd does
                checked(primary, request.endpoints().getOrDefault(mode, request.endpoints().get(primary.name())));
                return new Placement(primary.name(), Map.of(primary.name(),
                        EndpointSettings.requested(primary.id(), "", "", List.of())));
            }
            Map<String, EndpointSettings> out = new LinkedHashMap<>();
            EndpointSettings asked = request.endpoints().getOrDefault(mode, request.endpoints().get(primary.name()));
            out.put(primary.name(), checked(primary, asked));
            for (Map.Entry<String, EndpointSettings> e : request.endpoints().entrySet()) {
                if (e.getKey().equals(mode) || e.getKey().equals(primary.name())) {
                    continue;
                }
                Network n = registry.find(e.getKey());
                if (!NetworkRegistry.isBridge(n)) {
                    throw BerthException.invalid("container cannot be connected to multiple networks with one of the networks in "
                            + (n.name().equals(NetworkRegistry.HOST) ? "host" : "private (none)") + " mode");
                }
                out.putIfAbsent(n.name(), checked(n, e.getValue()));
            }
            return new Placement(mode, out);
        }
    }

    /** An endpoint as asked for, checked against its network (docker's words); the network id filled in. */
    EndpointSettings checked(Network n, EndpointSettings asked) {
        if (asked == null) {
            return EndpointSettings.requested(n.id(), "", "", List.of());
        }
        if (!NetworkRegistry.isBridge(n) && !asked.requestedMac().isEmpty()) {
            throw BerthException.invalid("conflicting options: mac-address and the network mode");
        }
        boolean user = NetworkRegistry.isUserDefined(n);
        if (!user && (!asked.requestedIpv4().isEmpty() || !asked.requestedIpv6().isEmpty())) {
            throw BerthException.invalid("user specified IP address is supported on user defined networks only");
        }
        if (!user && !asked.aliases().isEmpty()) {
            throw BerthException.invalid("network-scoped alias is supported only for containers in user defined networks");
        }
        if (!asked.requestedIpv4().isEmpty()) {
            checkFamily(asked.requestedIpv4(), false);
            Ipam.poolOf(n.ipam(), asked.requestedIpv4());
        }
        if (!asked.requestedIpv6().isEmpty()) {
            checkFamily(asked.requestedIpv6(), true);
            if (!n.ipv6()) {
                throw BerthException.invalid("user specified IP address is supported only when connecting to networks with user configured subnets: "
                        + n.name() + " has no IPv6");
            }
            Ipam.poolOf(n.ipam(), asked.requestedIpv6());
        }
        return EndpointSettings.requested(n.id(), asked.requestedIpv4(), asked.requestedIpv6(), asked.aliases(), asked.requestedMac());
    }

    private static void checkFamily(String address, boolean v6) {
        if (address.contains(":") != v6) {
            throw BerthException.invalid("invalid IPv" + (v6 ? "6" : "4") + " address: " + address);
        }
        IpPrefix.address(address, "invalid IPv" + (v6 ? "6" : "4") + " address: " + address);
    }

    /** dockerd's conflicts for --network container:x (runconfig's words). */
    private static void checkSharedNamespace(dev.berth.engine.CreateRequest r) {
        HostConfig hc = r.hostConfig();
        if (!r.config().hostname().isEmpty()) {
            throw BerthException.invalid("conflicting options: hostname and the network mode");
        }
        if (!hc.names().dns().isEmpty()) {
            throw BerthException.invalid("conflicting options: dns and the network mode");
        }
        if (!hc.names().extraHosts().isEmpty()) {
            throw BerthException.invalid("conflicting options: custom host-to-IP mapping and the network mode");
        }
        if (!hc.portBindings().isEmpty() || hc.publishAllPorts()) {
            throw BerthException.invalid("conflicting options: port publishing and the container type network mode");
        }
        if (!r.config().exposedPorts().isEmpty()) {
            throw BerthException.invalid("conflicting options: port exposing and the container type network mode");
        }
        if (!r.endpoints().isEmpty()) {
            throw BerthException.invalid("container sharing network namespace with another container or host cannot be connected to any other network");
        }
    }

    // ---- start ----

    /**
     * Wires a starting container (its slot locked): returns the network namespace for its spec,
     * empty for a new unpinned one (none, or no bridge network left) or the host's (host). The
     * slot's record gets the addresses and published ports; {@link Slot#netRun} what to undo.
     * On failure nothing is left behind.
     */
    Optional<Path> setUp(Slot s) {
        Container c = s.container;
        HostConfig hc = c.hostConfig();
        s.netRun = null;
        if (hc.networkMode().equals(NetworkRegistry.HOST)) {
            return Optional.empty();
        }
        Optional<String> shared = hc.networkContainer();
        if (shared.isPresent()) {
            Slot other = ctx.table.find(shared.get());
            Container oc = other.container;
            if (other == s) {
                throw BerthException.invalid("cannot join own network");
            }
            if (!oc.state().running() || oc.state().pid() <= 0) {
                throw BerthException.conflict("cannot join network of a non running container: " + oc.id());
            }
            // docker: the container takes the other's hostname (and its hosts, resolv.conf: writeEtcFiles)
            s.container = c.withConfig(c.config().withHostname(ctx.specs.hostname(oc)));
            return Optional.of(Path.of("/proc/" + oc.state().pid() + "/ns/net"));
        }
        List<Planned> planned = new ArrayList<>();
        List<NetworkRun.HeldPort> held = new ArrayList<>();
        Map<String, List<PortBinding>> published = new TreeMap<>(PortKeys::compare);
        synchronized (lock) {
            try {
                for (Map.Entry<String, EndpointSettings> e : c.networks().entrySet()) {
                    Network n = registry.find(e.getKey());
                    if (!NetworkRegistry.isBridge(n)) {
                        continue;
                    }
                    String endpointId = NetworkRegistry.newId();
                    String ifName = "eth" + planned.size();
                    Allocation a = allocate(n, e.getValue());
                    planned.add(new Planned(e.getKey(), n, e.getValue(), endpointId, a));
                    List<NetworkKernel.PortMapping> ports = planned.size() == 1
                            ? reservePorts(c, endpointId, held, published) : List.of();
                    a.spec = new NetworkKernel.EndpointSpec(c.id(), ifName, a.cidrs, planned.size() == 1, a.mac, ports);
                }
            } catch (RuntimeException e) {
                releaseLocked(planned, held);
                throw e;
            }
        }
        if (planned.isEmpty()) {
            return Optional.empty();
        }
        NetworkRun run;
        try {
            run = new NetworkRun(kernel.createNetns(c.id()));
        } catch (RuntimeException e) {
            synchronized (lock) {
                releaseLocked(planned, held);
            }
            throw e;
        }
        run.ports.addAll(held);
        Map<String, EndpointSettings> networks = new LinkedHashMap<>(c.networks());
        for (Planned p : planned) {
            run.unattached.add(new NetworkRun.Reserved(p.network, p.allocation.held));
            networks.put(p.name, live(c, p, ""));
        }
        // the addresses are berth's (static IPAM), so the record, /etc/hosts and the spec need
        // no plugin result: the plugins run while the runtime makes the container (awaitAttached)
        run.attaching = CompletableFuture.runAsync(() -> attachAll(run, planned), ATTACHER);
        s.netRun = run;
        s.container = c.withNetworks(networks).withPorts(published);
        return Optional.of(run.netns);
    }

    /**
     * A platform thread per start: the plugins are waited for in poll(2) through FFM, which
     * would hold a virtual thread's carrier for their whole run.
     */
    private static final Executor ATTACHER = r -> Thread.ofPlatform().daemon().name("berth-attach").start(r);

    /**
     * lo up and every endpoint attached, in order (eth0 first); on the attaching thread, which
     * alone touches the run until {@link #awaitAttached} or {@link #teardown} has joined it. A
     * failure stops there: the teardown undoes what was attached and releases the rest.
     */
    private void attachAll(NetworkRun run, List<Planned> planned) {
        kernel.loopbackUp(run.netns);
        for (Planned p : planned) {
            NetworkKernel.BridgeSpec bridge = NetworkRegistry.bridgeSpec(p.network);
            NetworkKernel.AttachResult r = kernel.attach(run.netns, bridge, p.allocation.spec);
            run.unattached.removeIf(x -> x.addresses() == p.allocation.held);
            run.attached.add(new NetworkRun.Attached(p.network, bridge, p.allocation.spec, p.allocation.held));
            run.attachedMacs.put(p.name, r.macAddress() == null ? "" : r.macAddress());
        }
    }

    /**
     * Waits for a starting container's endpoints (slot locked; the runtime calls it once the
     * container is made, before the program runs): the record gets the MACs the plugin gave,
     * the [::1] proxies start, the connect events go out. A failure is thrown as it came; the
     * start's failure path then tears the run down.
     */
    void awaitAttached(Slot s) {
        NetworkRun run = s.netRun;
        if (run == null || run.attaching == null) {
            return;
        }
        try {
            run.attaching.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            run.attaching = null;
        }
        Container c = s.container;
        Map<String, EndpointSettings> networks = new LinkedHashMap<>(c.networks());
        run.attachedMacs.forEach((name, mac) -> {
            EndpointSettings e = networks.get(name);
            if (e != null && !mac.isEmpty() && !mac.equalsIgnoreCase(e.macAddress())) {
                networks.put(name, e.withMacAddress(mac));
            }
        });
        s.container = c.withNetworks(networks);
        NetworkKernel.EndpointSpec first = run.attached.getFirst().endpoint();
        startLoopbackProxies(run, first);
        for (NetworkRun.Attached a : run.attached) {
            ctx.events.emitNetwork("connect", a.network(), c.id());
        }
    }

    /** [::1]:hostPort for each TCP port published on every address, to the container's IPv4 address there. */
    private static void startLoopbackProxies(NetworkRun run, NetworkKernel.EndpointSpec first) {
        Optional<String> ipv4 = first.addresses().stream().filter(a -> !a.contains(":"))
                .map(a -> a.substring(0, a.indexOf('/'))).findFirst();
        if (ipv4.isEmpty()) {
            return;
        }
        for (NetworkKernel.PortMapping m : first.ports()) {
            if (m.protocol().equals("tcp") && m.hostIp().isEmpty()) {
                dev.berth.engine.network.Ipv6LoopbackProxy.start(m.hostPort(),
                        new java.net.InetSocketAddress(ipv4.get(), m.containerPort())).ifPresent(run.proxies::add);
            }
        }
    }

    /** An endpoint being made: its network, what was asked, the id it gets and its addresses. */
    private record Planned(String name, Network network, EndpointSettings asked, String endpointId, Allocation allocation) {}

    /** Addresses held for an endpoint: numbers for the IPAM, CIDRs for the kernel, gateways and MAC for the record. */
    private static final class Allocation {
        final List<BigInteger> held = new ArrayList<>();
        final List<String> cidrs = new ArrayList<>();
        String ipv4 = "";
        int ipv4Prefix;
        String gateway = "";
        String ipv6 = "";
        int ipv6Prefix;
        String ipv6Gateway = "";
        String mac = "";
        NetworkKernel.EndpointSpec spec;
    }

    /** One IPv4 address (and an IPv6 one on an IPv6 network), the asked ones if given; under {@link #lock}. */
    private Allocation allocate(Network n, EndpointSettings asked) {
        Allocation a = new Allocation();
        try {
            for (boolean v6 : new boolean[] {false, true}) {
                if (v6 && !n.ipv6()) {
                    continue;
                }
                Optional<Network.IpamPool> first = n.ipam().stream().filter(p -> p.subnet().contains(":") == v6).findFirst();
                if (first.isEmpty()) {
                    continue;
                }
                String wanted = v6 ? asked.requestedIpv6() : asked.requestedIpv4();
                Network.IpamPool pool = wanted.isEmpty() ? first.get() : Ipam.poolOf(n.ipam(), wanted);
                BigInteger address = wanted.isEmpty() ? ipam.allocate(n.id(), pool) : ipam.allocateRequested(n.id(), n.ipam(), wanted);
                a.held.add(address);
                IpPrefix subnet = IpPrefix.parse(pool.subnet());
                String text = subnet.format(address);
                a.cidrs.add(text + "/" + subnet.bits());
                if (v6) {
                    a.ipv6 = text;
                    a.ipv6Prefix = subnet.bits();
                    a.ipv6Gateway = pool.gateway();
                } else {
                    a.ipv4 = text;
                    a.ipv4Prefix = subnet.bits();
                    a.gateway = pool.gateway();
                    a.mac = macFor(address);
                }
            }
        } catch (RuntimeException e) {
            a.held.forEach(x -> ipam.release(n.id(), x));
            throw e;
        }
        if (!asked.requestedMac().isEmpty()) {
            a.mac = asked.requestedMac(); // --mac-address instead of docker's address-derived one
        }
        return a;
    }

    /** docker's MAC for an IPv4 address: 02:42 and the address's four bytes. */
    static String macFor(BigInteger ipv4) {
        long v = ipv4.longValue();
        return String.format(Locale.ROOT, "02:42:%02x:%02x:%02x:%02x", (v >> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }

    /**
     * -p and -P: host ports reserved for the container's published ports (under {@link #lock});
     * {@code published} gets what inspect shows. INTERNAL in dockerd's words when one is taken.
     */
    private List<NetworkKernel.PortMapping> reservePorts(Container c, String endpointId, List<NetworkRun.HeldPort> held,
                                                         Map<String, List<PortBinding>> published) {
        HostConfig hc = c.hostConfig();
        Map<String, List<PortBinding>> wanted = new TreeMap<>(PortKeys::compare);
        wanted.putAll(hc.portBindings());
        if (hc.publishAllPorts()) {
            for (String key : c.config().exposedPorts()) {
                wanted.merge(key, List.of(), (x, y) -> x);
            }
        }
        List<NetworkKernel.PortMapping> out = new ArrayList<>();
        for (Map.Entry<String, List<PortBinding>> e : wanted.entrySet()) {
            String protocol = PortKeys.protocol(e.getKey());
            int containerPort = PortKeys.port(e.getKey());
            List<PortBinding> bindings = e.getValue();
            if (bindings.isEmpty() && hc.publishAllPorts()) {
                bindings = List.of(new PortBinding("", ""));
            }
            for (PortBinding b : bindings) {
                int port;
                try {
                    port = reserveOne(protocol, b);
                } catch (BerthException ex) {
                    throw new BerthException(ex.kind(), "driver failed programming external connectivity on endpoint "
                            + c.name().bare() + " (" + endpointId + "): " + ex.getMessage(), ex);
                }
                held.add(new NetworkRun.HeldPort(protocol, b.hostIp(), port));
                out.add(new NetworkKernel.PortMapping(protocol, b.hostIp(), port, containerPort));
                published.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(new PortBinding(b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp(), Integer.toString(port)));
            }
        }
        return out;
    }

    /** A host port: the one asked, one of a range asked (the first free), or a free one for "" and 0. */
    private int reserveOne(String protocol, PortBinding b) {
        int[] range = PortKeys.range(b.hostPort());
        if (range[0] == range[1]) {
            return hostPorts.reserve(protocol, b.hostIp(), range[0]);
        }
        BerthException last = null;
        for (int p = range[0]; p <= range[1]; p++) {
            try {
                return hostPorts.reserve(protocol, b.hostIp(), p);
            } catch (BerthException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The endpoint's record while it runs. */
    private static EndpointSettings live(Container c, Planned p, String attachedMac) {
        Allocation a = p.allocation;
        List<String> dnsNames = new ArrayList<>();
        if (NetworkRegistry.isUserDefined(p.network)) {
            dnsNames.add(c.name().bare());
            dnsNames.addAll(p.asked.aliases());
            dnsNames.add(c.id().substring(0, 12));
        }
        String mac = attachedMac == null || attachedMac.isEmpty() ? a.mac : attachedMac;
        return new EndpointSettings(p.network.id(), p.endpointId, p.asked.requestedIpv4(), p.asked.requestedIpv6(),
                p.asked.aliases(), dnsNames, a.ipv4, a.ipv4Prefix, a.gateway, a.ipv6, a.ipv6Prefix, a.ipv6Gateway, mac,
                p.asked.requestedMac());
    }

    private void releaseLocked(List<Planned> planned, List<NetworkRun.HeldPort> held) {
        for (Planned p : planned) {
            p.allocation.held.forEach(x -> ipam.release(p.network.id(), x));
        }
        for (NetworkRun.HeldPort h : held) {
            hostPorts.release(h.protocol(), h.hostIp(), h.port());
        }
    }

    /** Detaches every endpoint of the run (last first) and removes the namespace, logging failures. */
    private void undo(String containerId, NetworkRun run, boolean removeNetns) {
        run.proxies.forEach(dev.berth.engine.network.Ipv6LoopbackProxy::close);
        run.proxies.clear();
        // the namespace goes first: the kernel then deletes its veths itself, and each CNI DEL
        // (allowed without a namespace) only clears what is outside it: ~10 ms per endpoint, not ~45
        if (removeNetns && run.netns != null) {
            EngineContext.quietly(() -> kernel.removeNetns(containerId));
        }
        for (NetworkRun.Attached a : run.attached.reversed()) {
            EngineContext.quietly(() -> kernel.detach(run.netns, a.bridge(), a.endpoint()));
        }
    }

    // ---- connect and disconnect of a running container ----

    /** Attaches one more network to a running container (slot locked); returns its endpoint's record. */
    EndpointSettings attachLive(Slot s, String name, Network n, EndpointSettings asked) {
        NetworkRun run = s.netRun;
        Container c = s.container;
        if (run == null || run.netns == null) {
            throw BerthException.conflict("container " + c.id() + " has no network namespace of its own to connect to "
                    + n.name() + ": restart it");
        }
        Planned p;
        synchronized (lock) {
            Allocation a = allocate(n, asked);
            a.spec = new NetworkKernel.EndpointSpec(c.id(), run.nextInterface(), a.cidrs, run.attached.isEmpty(), a.mac,
                    List.of());
            p = new Planned(name, n, asked, NetworkRegistry.newId(), a);
        }
        NetworkKernel.BridgeSpec bridge = NetworkRegistry.bridgeSpec(n);
        NetworkKernel.AttachResult r;
        try {
            r = kernel.attach(run.netns, bridge, p.allocation.spec);
        } catch (RuntimeException e) {
            synchronized (lock) {
                releaseLocked(List.of(p), List.of());
            }
            throw e;
        }
        run.attached.add(new NetworkRun.Attached(n, bridge, p.allocation.spec, p.allocation.held));
        ctx.events.emitNetwork("connect", n, c.id());
        return live(c, p, r.macAddress());
    }

    /** Detaches one network from a running container (slot locked); false when it was not attached. */
    boolean detachLive(Slot s, Network n) {
        NetworkRun run = s.netRun;
        if (run == null) {
            return false;
        }
        for (NetworkRun.Attached a : List.copyOf(run.attached)) {
            if (a.network().id().equals(n.id())) {
                kernel.detach(run.netns, a.bridge(), a.endpoint());
                run.attached.remove(a);
                synchronized (lock) {
                    a.addresses().forEach(x -> ipam.release(n.id(), x));
                }
                ctx.events.emitNetwork("disconnect", n, s.id());
                return true;
            }
        }
        return false;
    }

    // ---- exit ----

    /**
     * Undoes a run's networking (slot locked, or the slot owned alone): endpoints detached,
     * namespace removed, addresses and ports released, the record's addresses cleared. Without
     * the run's memory (after a crash) the record tells what to undo.
     */
    void teardown(Slot s) {
        NetworkRun run = s.netRun;
        s.netRun = null;
        Container c = s.container;
        if (run != null) {
            awaitQuietly(run);
            undo(c.id(), run, true);
            synchronized (lock) {
                for (NetworkRun.Attached a : run.attached) {
                    a.addresses().forEach(x -> ipam.release(a.network().id(), x));
                }
                for (NetworkRun.Reserved r : run.unattached) {
                    r.addresses().forEach(x -> ipam.release(r.network().id(), x));
                }
                for (NetworkRun.HeldPort h : run.ports) {
                    hostPorts.release(h.protocol(), h.hostIp(), h.port());
                }
            }
            for (NetworkRun.Attached a : run.attached) {
                ctx.events.emitNetwork("disconnect", a.network(), c.id());
            }
        } else if (hasAddresses(c)) {
            teardownFromRecord(c);
        }
        s.container = cleared(s.container);
    }

    /** A start that failed before it waited for its endpoints: the attaching thread is done before anything is undone. */
    private static void awaitQuietly(NetworkRun run) {
        CompletableFuture<Void> attaching = run.attaching;
        run.attaching = null;
        if (attaching != null) {
            try {
                attaching.join();
            } catch (CompletionException e) {
                // the start's failure says why; what was attached is undone all the same
            }
        }
    }

    private void teardownFromRecord(Container c) {
        Path netns = kernel.netnsPath(c.id());
        EngineContext.quietly(() -> kernel.removeNetns(c.id())); // first, as in undo
        int index = 0;
        for (Map.Entry<String, EndpointSettings> e : c.networks().entrySet()) {
            EndpointSettings ep = e.getValue();
            if (ep.ipv4Address().isEmpty() && ep.ipv6Address().isEmpty()) {
                continue;
            }
            Optional<Network> n;
            synchronized (lock) {
                n = registry.lookup(e.getKey()).or(() -> registry.lookup(ep.networkId()));
                releaseRecorded(ep);
            }
            if (n.isPresent() && NetworkRegistry.isBridge(n.get())) {
                List<String> cidrs = new ArrayList<>();
                if (!ep.ipv4Address().isEmpty()) {
                    cidrs.add(ep.ipv4Address() + "/" + ep.ipv4PrefixLength());
                }
                if (!ep.ipv6Address().isEmpty()) {
                    cidrs.add(ep.ipv6Address() + "/" + ep.ipv6PrefixLength());
                }
                var spec = new NetworkKernel.EndpointSpec(c.id(), "eth" + index, cidrs, index == 0, ep.macAddress(),
                        index == 0 ? recordedPorts(c) : List.of());
                EngineContext.quietly(() -> kernel.detach(netns, NetworkRegistry.bridgeSpec(n.get()), spec));
            }
            index++;
        }
    }

    private static List<NetworkKernel.PortMapping> recordedPorts(Container c) {
        List<NetworkKernel.PortMapping> out = new ArrayList<>();
        c.ports().forEach((key, bindings) -> {
            for (PortBinding b : bindings) {
                String ip = b.hostIp().equals("0.0.0.0") ? "" : b.hostIp();
                out.add(new NetworkKernel.PortMapping(PortKeys.protocol(key), ip, Integer.parseInt(b.hostPort()),
                        PortKeys.port(key)));
            }
        });
        return out;
    }

    private void releaseRecorded(EndpointSettings ep) {
        for (String address : List.of(ep.ipv4Address(), ep.ipv6Address())) {
            if (!address.isEmpty()) {
                ipam.release(ep.networkId(), number(address));
            }
        }
    }

    static boolean hasAddresses(Container c) {
        return c.networks().values().stream().anyMatch(e -> !e.ipv4Address().isEmpty() || !e.ipv6Address().isEmpty())
                || !c.ports().isEmpty();
    }

    /** The record of a container that does not run: endpoints keep what was asked, lose their addresses; no ports. */
    static Container cleared(Container c) {
        if (!hasAddresses(c) && c.networks().values().stream().allMatch(e -> e.endpointId().isEmpty())) {
            return c;
        }
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        c.networks().forEach((name, e) -> out.put(name,
                EndpointSettings.requested(e.networkId(), e.requestedIpv4(), e.requestedIpv6(), e.aliases(), e.requestedMac())));
        return c.withNetworks(out).withPorts(Map.of());
    }

    // ---- the files in /etc ----

    /** hosts, hostname and resolv.conf for the starting container (after {@link #setUp}). */
    void writeEtcFiles(Path dir, Container c) {
        Optional<String> shared = c.hostConfig().networkContainer();
        if (shared.isPresent()) {
            // docker: the container whose namespace it joins lends it its files
            Path from = ctx.store.dir(ctx.table.find(shared.get()).id());
            for (String f : List.of(dev.berth.engine.spec.EtcFiles.HOSTS, dev.berth.engine.spec.EtcFiles.RESOLV_CONF,
                    dev.berth.engine.spec.EtcFiles.HOSTNAME)) {
                try {
                    java.nio.file.Files.copy(from.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.IOException e) {
                    throw BerthException.internal("copy " + from.resolve(f) + ": " + e.getMessage(), e);
                }
            }
            return;
        }
        List<String> self = new ArrayList<>();
        String embedded = "";
        for (EndpointSettings e : c.networks().values()) {
            if (!e.ipv4Address().isEmpty() || !e.ipv6Address().isEmpty()) {
                if (self.isEmpty()) {
                    // docker's lines for the first network: its IPv4 address, then its IPv6 one
                    for (String a : List.of(e.ipv4Address(), e.ipv6Address())) {
                        if (!a.isEmpty()) {
                            self.add(a);
                        }
                    }
                }
                if (embedded.isEmpty() && !e.dnsNames().isEmpty()) {
                    embedded = e.gateway().isEmpty() ? e.ipv6Gateway() : e.gateway();
                }
            }
        }
        dev.berth.engine.spec.EtcFiles.write(dir, ctx.specs.hostname(c), c.hostConfig().networkMode().equals("host"),
                ctx.options.host().etc(), c.hostConfig().names(), self, embedded);
    }

    // ---- the embedded DNS server (NetworkDns) ----

    /** Serves DNS on a user-defined network's gateways (under {@link #lock}). */
    void listenDns(Network n) {
        dns.listen(n);
    }

    void unlistenDns(Network n) {
        dns.unlisten(n);
    }

    /** The addresses the DNS server listens on (for tests). */
    java.util.Set<InetSocketAddress> dnsListening() {
        synchronized (lock) {
            return dns.listening();
        }
    }

    void close() {
        synchronized (lock) {
            dns.close();
            // after a shutdown's stops nothing is held; after a simulated crash this is the kernel's part
            hostPorts.releaseAll();
        }
    }

    static BigInteger number(String address) {
        return IpPrefix.toNumber(IpPrefix.address(address, "invalid IP address: " + address));
    }


    // ---- recovery ----

    /**
     * At open, before the crash cleanup: the addresses a record of a running container holds are
     * held (the IPAM is rebuilt from the records); its cleanup then gives them back.
     */
    void adopt(Container c) {
        if (!c.state().running() && c.status() != dev.berth.engine.container.Status.REMOVING) {
            return;
        }
        synchronized (lock) {
            for (EndpointSettings e : c.networks().values()) {
                for (String address : List.of(e.ipv4Address(), e.ipv6Address())) {
                    if (!address.isEmpty() && !ipam.hold(e.networkId(), number(address))) {
                        LOG.log(System.Logger.Level.WARNING, "address " + address + " of container " + c.id()
                                + " is recorded twice on network " + e.networkId());
                    }
                }
            }
        }
    }

    /**
     * At open, after the containers' crash cleanup: every bridge network's bridge and rules
     * made again (a reboot or a crash may have lost them), the DNS listeners started, and pinned
     * namespaces of containers that do not run removed.
     */
    void recoverNetworks() {
        synchronized (lock) {
            for (Network n : registry.list()) {
                if (NetworkRegistry.isBridge(n)) {
                    EngineContext.quietly(() -> kernel.setUpNetwork(NetworkRegistry.bridgeSpec(n)));
                    listenDns(n);
                }
            }
        }
        for (Slot s : ctx.table.slots()) {
            // a record that lost the exit's write (a power loss: state writes are not fsynced)
            // may say stopped with addresses: undone as a crash's
            if (!s.container.state().running() && hasAddresses(s.container)) {
                teardown(s);
                ctx.saveQuietly(s);
            }
        }
        List<String> pinned;
        try {
            pinned = kernel.pinnedNetns();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "list pinned network namespaces: " + e.getMessage());
            return;
        }
        for (String id : pinned) {
            boolean runs = ctx.table.contains(id) && ctx.table.find(id).container.state().running();
            if (!runs) {
                EngineContext.quietly(() -> kernel.removeNetns(id));
            }
        }
    }
}
