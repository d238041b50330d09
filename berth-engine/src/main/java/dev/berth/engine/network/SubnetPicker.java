package dev.berth.engine.network;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's default address pools for networks created without --subnet: 172.17.0.0/16 up to
 * 172.31.0.0/16, then 192.168.0.0/16 in /20s; the first that overlaps neither another network
 * nor a route of the host (its default route aside), as dockerd checks against the host's
 * routing table.
 */
public final class SubnetPicker {
    private SubnetPicker() {}

    /** Every pool, in the order they are tried. */
    static List<IpPrefix> pools() {
        List<IpPrefix> pools = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            pools.add(IpPrefix.parse("172." + b + ".0.0/16"));
        }
        for (int c = 0; c < 256; c += 16) {
            pools.add(IpPrefix.parse("192.168." + c + ".0/20"));
        }
        return pools;
    }

    /** The first free pool; FORBIDDEN in dockerd's words when every one is taken. */
    public static IpPrefix pick(List<IpPrefix> networks, List<IpPrefix> hostRoutes) {
        for (IpPrefix pool : pools()) {
            if (networks.stream().noneMatch(pool::overlaps) && hostRoutes.stream().noneMatch(pool::overlaps)) {
                return pool;
            }
        }
        throw BerthException.forbidden("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    /** The host's IPv4 routes from {@code /proc/net/route}, without the default route. */
    public static List<IpPrefix> hostRoutes(Path procNetRoute) {
        List<IpPrefix> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(procNetRoute);
        } catch (IOException e) {
            return out;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                long dest = Long.parseLong(f[1], 16);
                long mask = Long.parseLong(f[7], 16);
                int bits = Long.bitCount(mask);
                if (bits == 0) {
                    continue;
                }
                // the file has the address in the kernel's (little-endian) byte order
                long be = Long.reverseBytes(dest) >>> 32;
                out.add(new IpPrefix(BigInteger.valueOf(be), bits, false));
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return out;
    }
}
