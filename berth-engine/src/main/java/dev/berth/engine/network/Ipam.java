package dev.berth.engine.network;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The addresses in use on each network: berth's IPAM. Not persisted on its own: the engine
 * rebuilds it at open from the container records (their endpoints' addresses) and keeps it
 * as containers start, stop, connect and disconnect, so a restart cannot hand out an address
 * twice. Each pool's network address, gateway and (IPv4) broadcast address are never given.
 * Callers serialize (the network manager's lock).
 */
public final class Ipam {
    /** network id → addresses held, as numbers. */
    private final Map<String, Set<BigInteger>> used = new HashMap<>();
    /** network id → where the next search for a free address starts, so freed ones are not reused at once (as docker). */
    private final Map<String, BigInteger> cursor = new HashMap<>();

    /** Records an address as held (at open, from a container's record); false if it was held already. */
    public boolean hold(String networkId, BigInteger address) {
        return used.computeIfAbsent(networkId, k -> new HashSet<>()).add(address);
    }

    public void release(String networkId, BigInteger address) {
        Set<BigInteger> set = used.get(networkId);
        if (set != null) {
            set.remove(address);
        }
    }

    public void forget(String networkId) {
        used.remove(networkId);
        cursor.remove(networkId);
    }

    /** Whether any address is held on the network: it has active endpoints. */
    public boolean inUse(String networkId) {
        return !used.getOrDefault(networkId, Set.of()).isEmpty();
    }

    public boolean isHeld(String networkId, BigInteger address) {
        return used.getOrDefault(networkId, Set.of()).contains(address);
    }

    /**
     * A free address of the pool (its ip-range if it has one), held from now on. INTERNAL in
     * libnetwork's words when the pool is exhausted.
     */
    public BigInteger allocate(String networkId, Network.IpamPool pool) {
        IpPrefix subnet = IpPrefix.parse(pool.subnet());
        IpPrefix range = pool.ipRange().isEmpty() ? subnet : IpPrefix.parse(pool.ipRange());
        Set<BigInteger> reserved = reserved(subnet, pool);
        BigInteger size = range.size();
        BigInteger start = cursor.getOrDefault(networkId + subnet, range.base());
        if (!range.contains(start)) {
            start = range.base();
        }
        // at most 2^16 probes: a larger range with that many held in a row is not a case worth more
        long probes = size.min(BigInteger.valueOf(1 << 16)).longValue();
        BigInteger a = start;
        for (long i = 0; i < probes; i++) {
            if (!reserved.contains(a) && !isHeld(networkId, a)) {
                hold(networkId, a);
                BigInteger next = a.add(BigInteger.ONE);
                cursor.put(networkId + subnet, range.contains(next) ? next : range.base());
                return a;
            }
            a = a.add(BigInteger.ONE);
            if (!range.contains(a)) {
                a = range.base();
            }
        }
        throw BerthException.internal("no available IPv" + (subnet.v6() ? "6" : "4") + " addresses on this network's address pools: "
                + subnet);
    }

    /**
     * --ip: the address must be in one of the network's subnets and free;
     * then it is held. INVALID_ARGUMENT / CONFLICT in docker's words.
     */
    public BigInteger allocateRequested(String networkId, List<Network.IpamPool> pools, String requested) {
        BigInteger a = IpPrefix.toNumber(IpPrefix.address(requested, "invalid IP address: " + requested));
        Network.IpamPool pool = poolOf(pools, requested);
        IpPrefix subnet = IpPrefix.parse(pool.subnet());
        if (reserved(subnet, pool).contains(a) || isHeld(networkId, a)) {
            throw BerthException.conflict("Address already in use");
        }
        hold(networkId, a);
        return a;
    }

    /**
     * The pool whose subnet contains {@code address}; INVALID_ARGUMENT otherwise. The ip-range
     * only bounds the addresses given out, not the asked ones (libnetwork's rule).
     */
    public static Network.IpamPool poolOf(List<Network.IpamPool> pools, String address) {
        BigInteger a = IpPrefix.toNumber(IpPrefix.address(address, "invalid IP address: " + address));
        boolean v6 = address.contains(":");
        for (Network.IpamPool p : pools) {
            IpPrefix subnet = IpPrefix.parse(p.subnet());
            if (subnet.v6() == v6 && subnet.contains(a)) {
                return p;
            }
        }
        throw BerthException.invalid("Invalid address " + address + ": It does not belong to any of this network's subnets");
    }

    private static Set<BigInteger> reserved(IpPrefix subnet, Network.IpamPool pool) {
        Set<BigInteger> r = new HashSet<>();
        r.add(subnet.base());
        if (!pool.gateway().isEmpty()) {
            r.add(IpPrefix.toNumber(IpPrefix.address(pool.gateway(), "invalid gateway " + pool.gateway())));
        }
        if (!subnet.v6()) {
            r.add(subnet.last());
        }
        return r;
    }
}
