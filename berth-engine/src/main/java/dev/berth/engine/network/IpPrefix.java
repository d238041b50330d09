package dev.berth.engine.network;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix (CIDR): its first address and length. Parsing takes an address with
 * a prefix ("172.18.0.1/16" is the prefix 172.18.0.0/16; {@link #parseAddress} keeps the
 * address); addresses are handled as numbers, so the same code serves both families.
 */
public record IpPrefix(BigInteger base, int bits, boolean v6) {

    public IpPrefix {
        int width = v6 ? 128 : 32;
        if (bits < 0 || bits > width) {
            throw new IllegalArgumentException("prefix length " + bits);
        }
        base = base.and(mask(bits, width));
    }

    /** "10.1.0.0/16", "fd00::/64"; INVALID_ARGUMENT in docker's words ("invalid CIDR address: x"). */
    public static IpPrefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw BerthException.invalid("invalid CIDR address: " + cidr);
        }
        InetAddress a = address(cidr.substring(0, slash), "invalid CIDR address: " + cidr);
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid CIDR address: " + cidr);
        }
        boolean v6 = !(a instanceof Inet4Address);
        if (bits < 0 || bits > (v6 ? 128 : 32)) {
            throw BerthException.invalid("invalid CIDR address: " + cidr);
        }
        return new IpPrefix(toNumber(a), bits, v6);
    }

    /** A plain address ("10.1.0.5"; no hostnames): INVALID_ARGUMENT with {@code problem} otherwise. */
    public static InetAddress address(String text, String problem) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.isEmpty() || !(t.contains(":") || t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
            throw BerthException.invalid(problem);
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException | SecurityException e) {
            throw BerthException.invalid(problem);
        }
    }

    /** The address of "a.b.c.d/n" (not its prefix's base). */
    public static BigInteger parseAddress(String cidr) {
        return toNumber(address(cidr.substring(0, cidr.indexOf('/')), "invalid CIDR address: " + cidr));
    }

    public static BigInteger toNumber(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    public String format(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[v6 ? 16 : 4];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            String s = InetAddress.getByAddress(out).getHostAddress();
            return v6 ? compressV6(s) : s;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public int width() {
        return v6 ? 128 : 32;
    }

    /** The number of addresses it spans. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(width() - bits);
    }

    public BigInteger last() {
        return base.add(size()).subtract(BigInteger.ONE);
    }

    public boolean contains(BigInteger address) {
        return address.compareTo(base) >= 0 && address.compareTo(last()) <= 0;
    }

    public boolean contains(IpPrefix other) {
        return v6 == other.v6 && contains(other.base) && contains(other.last());
    }

    public boolean overlaps(IpPrefix other) {
        return v6 == other.v6 && base.compareTo(other.last()) <= 0 && other.base.compareTo(last()) <= 0;
    }

    /** The address {@code n} after the base (1 is the usual gateway). */
    public BigInteger nth(long n) {
        return base.add(BigInteger.valueOf(n));
    }

    @Override
    public String toString() {
        return format(base) + "/" + bits;
    }

    private static BigInteger mask(int bits, int width) {
        return BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE));
    }

    /** Java writes 2001:db8:0:0:0:0:0:1; Go (and docker's output) 2001:db8::1. */
    static String compressV6(String full) {
        String[] parts = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }
}
