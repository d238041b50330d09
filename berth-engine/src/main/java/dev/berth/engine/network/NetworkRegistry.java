package dev.berth.engine.network;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The networks: the predefined {@code bridge} (the default bridge, unless the daemon runs with
 * {@code --bridge none}), {@code host} and {@code none}, and the user-defined bridge networks,
 * each persisted by the {@link NetworkStore}. Lookups by full id, name, then unique id prefix,
 * as dockerd's. Creating checks a request as dockerd does, in its words. Not thread-safe: the
 * engine calls it under its network lock.
 */
public final class NetworkRegistry {
    public static final String BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";
    /** docker's options on its default bridge, and the ones user networks may set. */
    public static final String OPT_BRIDGE_NAME = "com.docker.network.bridge.name";
    public static final String OPT_DEFAULT_BRIDGE = "com.docker.network.bridge.default_bridge";
    public static final String OPT_ICC = "com.docker.network.bridge.enable_icc";
    public static final String OPT_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    public static final String OPT_HOST_BINDING = "com.docker.network.bridge.host_binding_ipv4";
    public static final String OPT_MTU = "com.docker.network.driver.mtu";
    private static final Set<String> PREDEFINED = Set.of(BRIDGE, HOST, NONE, "default");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final System.Logger LOG = System.getLogger(NetworkRegistry.class.getName());

    private final NetworkStore store;
    private final Path procNetRoute;
    private final DeviceAddresses deviceAddresses;
    private final Map<String, Network> byId = new LinkedHashMap<>();

    /**
     * Loads the records, and makes (or updates) the predefined networks: the default bridge on
     * device {@code bridgeDevice} ({@code none}: no default bridge) with, first that applies:
     * {@code bip} (gateway/prefix), the record's subnet, the first IPv4 address of an existing
     * {@code bridgeDevice} (asked of {@code deviceAddresses}), the first free pool.
     */
    public NetworkRegistry(NetworkStore store, String bridgeDevice, String bip, Path procNetRoute,
                           DeviceAddresses deviceAddresses) {
        this.store = store;
        this.procNetRoute = procNetRoute;
        this.deviceAddresses = deviceAddresses;
        for (Network n : store.loadAll()) {
            byId.put(n.id(), n);
        }
        predefined(HOST, HOST);
        predefined(NONE, "null");
        Optional<Network> oldBridge = byName(BRIDGE);
        if (bridgeDevice.equals(NONE)) {
            oldBridge.ifPresent(b -> {
                byId.remove(b.id());
                store.remove(b.id());
            });
        } else {
            defaultBridge(oldBridge, bridgeDevice, bip);
        }
    }

    private void predefined(String name, String driver) {
        if (byName(name).isEmpty()) {
            Network n = new Network(newId(), name, driver, Instant.now(), false, false, false, List.of(), Map.of(), Map.of());
            store.save(n);
            byId.put(n.id(), n);
        }
    }

    private void defaultBridge(Optional<Network> old, String device, String bip) {
        Network.IpamPool pool;
        if (!bip.isEmpty()) {
            IpPrefix subnet = IpPrefix.parse(bip);
            pool = new Network.IpamPool(subnet.toString(), "", bip.substring(0, bip.indexOf('/')));
        } else if (old.isPresent() && !old.get().ipam().isEmpty()
                && device.equals(old.get().options().get(OPT_BRIDGE_NAME))) {
            pool = old.get().ipam().getFirst(); // its own route is the host's now: keep it, do not pick again
        } else {
            List<IpPrefix> others = subnetsExcept(old.map(Network::id).orElse(""));
            pool = adopted(device, others).orElseGet(() -> {
                IpPrefix subnet = SubnetPicker.pick(others, SubnetPicker.hostRoutes(procNetRoute));
                return new Network.IpamPool(subnet.toString(), "", subnet.format(subnet.nth(1)));
            });
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put(OPT_DEFAULT_BRIDGE, "true");
        options.put(OPT_ICC, "true");
        options.put(OPT_MASQUERADE, "true");
        options.put(OPT_HOST_BINDING, "0.0.0.0");
        options.put(OPT_BRIDGE_NAME, device);
        options.put(OPT_MTU, "1500");
        Network n = new Network(old.map(Network::id).orElseGet(NetworkRegistry::newId), BRIDGE, BRIDGE,
                old.map(Network::created).orElseGet(Instant::now), false, false, false, List.of(pool), options, Map.of());
        if (!old.equals(Optional.of(n))) {
            store.save(n);
        }
        byId.put(n.id(), n);
    }

    /**
     * The pool of an existing device's first IPv4 address (the kernel's primary), as dockerd's
     * default network takes docker0's: a daemon with a fresh data root then reuses the bridge
     * an earlier one left, where picking a pool would see the bridge's own route as taken and
     * put one more address on it at every such start. The device's other addresses are left
     * alone: berthd cannot tell those an earlier berthd added from an operator's. Empty when the
     * device has no IPv4 address, or when its subnet overlaps another network's (the pool is
     * picked then, as before).
     */
    private Optional<Network.IpamPool> adopted(String device, List<IpPrefix> others) {
        List<String> addresses = deviceAddresses.ipv4(device);
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        String first = addresses.getFirst();
        IpPrefix subnet = IpPrefix.parse(first);
        BigInteger address = IpPrefix.parseAddress(first);
        for (IpPrefix other : others) {
            if (other.overlaps(subnet)) {
                LOG.log(System.Logger.Level.WARNING, "default bridge " + device + ": its address " + first
                        + " overlaps another network's subnet " + other + "; picking a free pool");
                return Optional.empty();
            }
        }
        // the subnet's own first or last address is no host's: the gateway is then IPAM's usual
        // first one (dockerd leaves it to IPAM too), which the bridge gets as a second address
        boolean host = subnet.bits() >= 31 || (!address.equals(subnet.base()) && !address.equals(subnet.last()));
        String gateway = subnet.format(host ? address : subnet.nth(1));
        LOG.log(System.Logger.Level.INFO, "default bridge " + device + " exists with " + first + ": the bridge network takes "
                + subnet + (addresses.size() > 1 ? " (its other addresses " + addresses.subList(1, addresses.size()) + " stay as they are)" : "")
                + "; --bip sets another");
        return Optional.of(new Network.IpamPool(subnet.toString(), "", gateway));
    }

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public List<Network> list() {
        return List.copyOf(byId.values());
    }

    public Optional<Network> defaultBridge() {
        return byName(BRIDGE);
    }

    public Optional<Network> byName(String name) {
        return byId.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** By full id, name, then unique id prefix; NOT_FOUND "network x not found" as dockerd's. */
    public Network find(String idOrName) {
        return lookup(idOrName).orElseThrow(() -> BerthException.notFound("network " + idOrName + " not found"));
    }

    public Optional<Network> lookup(String idOrName) {
        if (idOrName.isEmpty()) {
            return Optional.empty();
        }
        Network n = byId.get(idOrName);
        if (n != null) {
            return Optional.of(n);
        }
        Optional<Network> named = byName(idOrName);
        if (named.isPresent()) {
            return named;
        }
        List<Network> prefixed = byId.values().stream().filter(x -> x.id().startsWith(idOrName)).toList();
        if (prefixed.size() > 1) {
            throw BerthException.invalid("network " + idOrName + " is ambiguous (" + prefixed.size() + " matches found based on ID prefix)");
        }
        return prefixed.stream().findFirst();
    }

    public static boolean isPredefined(Network n) {
        return PREDEFINED.contains(n.name());
    }

    /** A user-defined bridge network or the default bridge: one with a Linux bridge. */
    public static boolean isBridge(Network n) {
        return n.driver().equals(BRIDGE);
    }

    public static boolean isUserDefined(Network n) {
        return isBridge(n) && !n.name().equals(BRIDGE);
    }

    /** docker network create, checked as dockerd checks it; the record is saved. */
    public Network create(NetworkCreateRequest r) {
        if (r.name().isEmpty()) {
            throw BerthException.invalid("network name must not be empty");
        }
        if (PREDEFINED.contains(r.name())) {
            throw BerthException.forbidden("operation is not permitted on predefined " + r.name() + " network ");
        }
        if (byName(r.name()).isPresent()) {
            throw BerthException.conflict("network with name " + r.name() + " already exists");
        }
        switch (r.driver()) {
            case BRIDGE -> { }
            case HOST, "null" -> throw BerthException.forbidden("only one instance of \"" + r.driver() + "\" network is allowed");
            default -> throw BerthException.notFound("plugin \"" + r.driver() + "\" not found");
        }
        String id = newId();
        List<Network.IpamPool> pools = pools(r);
        Map<String, String> options = new LinkedHashMap<>(r.options());
        String device = options.getOrDefault(OPT_BRIDGE_NAME, "br-" + id.substring(0, 12));
        if (device.isEmpty() || device.length() > 15 || !device.matches("[A-Za-z0-9_.-]+")) {
            throw BerthException.invalid("invalid bridge name \"" + device + "\": at most 15 letters, digits, '_', '.' or '-'");
        }
        for (Network other : byId.values()) {
            if (device.equals(bridgeName(other))) {
                throw BerthException.conflict("bridge name " + device + " is in use by network " + other.name());
            }
        }
        for (String key : List.of(OPT_ICC, OPT_MASQUERADE)) {
            String v = options.get(key);
            if (v != null && !v.equals("true") && !v.equals("false")) {
                throw BerthException.invalid("failed to parse " + key + " value: " + v);
            }
        }
        mtu(options);
        Network n = new Network(id, r.name(), BRIDGE, Instant.now(), r.internal(), r.attachable(), r.ipv6(), pools,
                r.options(), r.labels());
        store.save(n);
        byId.put(id, n);
        return n;
    }

    /** The request's pools checked (subnet, ip-range, gateway; no overlap), with a subnet picked when none is IPv4. */
    private List<Network.IpamPool> pools(NetworkCreateRequest r) {
        List<Network.IpamPool> out = new ArrayList<>();
        List<IpPrefix> taken = subnetsExcept("");
        List<IpPrefix> mine = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (Network.IpamPool p : r.ipam()) {
            IpPrefix subnet;
            try {
                subnet = IpPrefix.parse(p.subnet());
            } catch (BerthException e) {
                throw BerthException.invalid("Invalid subnet " + p.subnet() + " : invalid CIDR address: " + p.subnet());
            }
            if (subnet.v6() && !r.ipv6()) {
                throw BerthException.invalid("IPv6 subnet " + p.subnet() + " needs --ipv6 (EnableIPv6)");
            }
            if (taken.stream().anyMatch(subnet::overlaps) || mine.stream().anyMatch(subnet::overlaps)) {
                throw BerthException.forbidden("Pool overlaps with other one on this address space");
            }
            String range = "";
            IpPrefix ipRange = null;
            if (!p.ipRange().isEmpty()) {
                try {
                    ipRange = IpPrefix.parse(p.ipRange());
                } catch (BerthException e) {
                    throw BerthException.invalid("Invalid ip-range " + p.ipRange() + " : invalid CIDR address: " + p.ipRange());
                }
                if (!subnet.contains(ipRange)) {
                    throw BerthException.invalid("ip-range " + p.ipRange() + " is not within subnet " + subnet);
                }
                range = ipRange.toString();
            }
            String gateway;
            if (p.gateway().isEmpty()) {
                // libnetwork gives the gateway the first free address of the range (of the subnet without one)
                boolean fromRange = ipRange != null && !ipRange.base().equals(subnet.base());
                gateway = fromRange ? subnet.format(ipRange.base()) : subnet.format(subnet.nth(1));
            } else {
                BigInteger g = IpPrefix.toNumber(IpPrefix.address(p.gateway(), "invalid gateway address: " + p.gateway()));
                if (!subnet.contains(g) || (p.gateway().contains(":") != subnet.v6())) {
                    throw BerthException.invalid("failed to allocate gateway (" + p.gateway() + "): Requested address is out of range");
                }
                gateway = subnet.format(g);
            }
            mine.add(subnet);
            v4 |= !subnet.v6();
            v6 |= subnet.v6();
            out.add(new Network.IpamPool(subnet.toString(), range, gateway));
        }
        if (r.ipv6() && !v6) {
            throw BerthException.invalid("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network: give --subnet with an IPv6 prefix");
        }
        if (!v4) {
            List<IpPrefix> all = new ArrayList<>(taken);
            all.addAll(mine);
            IpPrefix subnet = SubnetPicker.pick(all, SubnetPicker.hostRoutes(procNetRoute));
            out.addFirst(new Network.IpamPool(subnet.toString(), "", subnet.format(subnet.nth(1))));
        }
        out.sort((a, b) -> Boolean.compare(a.subnet().contains(":"), b.subnet().contains(":")));
        return out;
    }

    private List<IpPrefix> subnetsExcept(String id) {
        List<IpPrefix> out = new ArrayList<>();
        for (Network n : byId.values()) {
            if (!n.id().equals(id)) {
                n.ipam().forEach(p -> out.add(IpPrefix.parse(p.subnet())));
            }
        }
        return out;
    }

    public void remove(Network n) {
        store.remove(n.id());
        byId.remove(n.id());
    }

    /** The Linux bridge of a bridge network: its option, else br- and the first 12 of its id; empty for host and none. */
    public static String bridgeName(Network n) {
        if (!isBridge(n)) {
            return "";
        }
        return n.options().getOrDefault(OPT_BRIDGE_NAME, "br-" + n.id().substring(0, 12));
    }

    private static int mtu(Map<String, String> options) {
        String v = options.getOrDefault(OPT_MTU, "1500");
        try {
            int mtu = Integer.parseInt(v);
            if (mtu < 68 || mtu > 65535) {
                throw new NumberFormatException();
            }
            return mtu;
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid MTU " + v);
        }
    }

    /** The network as the kernel sees it. */
    public static NetworkKernel.BridgeSpec bridgeSpec(Network n) {
        List<NetworkKernel.Subnet> subnets = new ArrayList<>();
        for (Network.IpamPool p : n.ipam()) {
            subnets.add(new NetworkKernel.Subnet(p.subnet(), p.gateway()));
        }
        boolean icc = !"false".equals(n.options().get(OPT_ICC));
        boolean masquerade = !n.internal() && !"false".equals(n.options().get(OPT_MASQUERADE));
        return new NetworkKernel.BridgeSpec(n.id(), n.name(), bridgeName(n), subnets, icc, n.internal(), masquerade,
                mtu(n.options()));
    }
}
