package dev.berth.cli.commands.network;

import dev.berth.cli.container.IpLiteral;
import java.math.BigInteger;
import java.net.InetAddress;

/**
 * Go's {@code net.ParseCIDR} and {@code IPNet.Contains}, as the docker CLI uses them to pair
 * --ip-range and --gateway with their --subnet. Literals only, never a name lookup.
 */
record Cidr(byte[] network, int prefix) {
    /** @throws IllegalArgumentException "invalid CIDR address: x", Go's words */
    static Cidr parse(String s) {
        int slash = s.indexOf('/');
        byte[] ip = slash < 0 ? null : address(s.substring(0, slash));
        String bits = slash < 0 ? "" : s.substring(slash + 1);
        if (ip == null || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)
                || bits.length() > 1 && bits.charAt(0) == '0' || Integer.parseInt(bits) > ip.length * 8) {
            throw new IllegalArgumentException("invalid CIDR address: " + s);
        }
        int prefix = Integer.parseInt(bits);
        return new Cidr(mask(ip, prefix), prefix);
    }

    /** The address of a literal, or null when it is none (Go's ParseIP returning nil). */
    static byte[] address(String s) {
        if (!IpLiteral.valid(s)) {
            return null;
        }
        try {
            byte[] raw = InetAddress.ofLiteral(s).getAddress();
            return raw;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True when the IP (an address, or the address part of "ip/bits") lies inside. */
    boolean contains(byte[] ip) {
        return ip != null && ip.length == network.length && java.util.Arrays.equals(mask(ip, prefix), network);
    }

    private static byte[] mask(byte[] ip, int prefix) {
        BigInteger value = new BigInteger(1, ip);
        int width = ip.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(width - prefix).subtract(BigInteger.ONE));
        byte[] out = value.and(mask).toByteArray();
        byte[] fixed = new byte[ip.length];
        int copy = Math.min(out.length, fixed.length);
        System.arraycopy(out, out.length - copy, fixed, fixed.length - copy, copy);
        return fixed;
    }
}
