package dev.berth.engine.network.kernel;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length, e.g. 172.18.0.2/16 or fd00:1::1/64, parsed from literals
 * only (never a name lookup).
 */
record Cidr(InetAddress address, int prefix) {

    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = literal(addr, text);
        int max = a instanceof Inet4Address ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid CIDR address: " + text);
            }
        }
        if (prefix < 0 || prefix > max) {
            throw BerthException.invalid("invalid CIDR address: " + text);
        }
        return new Cidr(a, prefix);
    }

    /** Parses an address literal without a prefix. */
    static InetAddress literal(String addr, String context) {
        boolean v4 = addr.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw BerthException.invalid("invalid IP address: " + context);
        }
        try {
            return InetAddress.getByName(addr); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw BerthException.invalid("invalid IP address: " + context);
        }
    }

    boolean ipv4() {
        return address instanceof Inet4Address;
    }

    /** True when a is in this network (same family, same first prefix bits). */
    boolean contains(InetAddress a) {
        if (a.getClass() != address.getClass()) {
            return false;
        }
        return masked(a.getAddress()).equals(masked(address.getAddress()));
    }

    /** The network itself, e.g. 172.18.0.0/16 for 172.18.0.2/16. */
    Cidr network() {
        byte[] bytes = address.getAddress();
        BigInteger m = masked(bytes);
        byte[] raw = m.toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return new Cidr(InetAddress.getByAddress(out), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private BigInteger masked(byte[] bytes) {
        int bits = bytes.length * 8;
        BigInteger value = new BigInteger(1, bytes);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(prefix).xor(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        return value.and(mask);
    }

    /** The address alone, in its usual text form (IPv6 compressed as ip prints it). */
    String host() {
        String h = address.getHostAddress();
        return ipv4() ? h : compress(h);
    }

    @Override
    public String toString() {
        return host() + "/" + prefix;
    }

    /** Java prints 0:0:0:0:0:0:0:1; iptables and ip print ::1 (RFC 5952). */
    static String compress(String full) {
        String[] groups = full.split(":");
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i].replaceFirst("^0+(?=.)", "").toLowerCase();
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length;) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
