package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The address a PTR question's name stands for (RFC 1035 section 3.5 for in-addr.arpa,
 * RFC 3596 section 2.5 for ip6.arpa): labels in reverse order, decimal octets for IPv4, hex
 * nibbles for IPv6. Only complete addresses: a partial name (a zone) is no container's.
 */
final class ReverseName {
    private static final String V4_SUFFIX = ".in-addr.arpa";
    private static final String V6_SUFFIX = ".ip6.arpa";

    private ReverseName() {}

    /** The address of a lower-case name without the trailing dot, or empty. */
    static Optional<InetAddress> address(String name) {
        if (name.endsWith(V4_SUFFIX)) {
            return v4(name.substring(0, name.length() - V4_SUFFIX.length()).split("\\.", -1));
        }
        if (name.endsWith(V6_SUFFIX)) {
            return v6(name.substring(0, name.length() - V6_SUFFIX.length()).split("\\.", -1));
        }
        return Optional.empty();
    }

    private static Optional<InetAddress> v4(String[] labels) {
        if (labels.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String label = labels[3 - i];
            // "010" is no octet: reverse names are written without leading zeros
            if (label.isEmpty() || label.length() > 3 || !label.chars().allMatch(Character::isDigit)
                    || (label.length() > 1 && label.charAt(0) == '0')) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(label);
            if (octet > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) octet;
        }
        return of(bytes);
    }

    private static Optional<InetAddress> v6(String[] labels) {
        if (labels.length != 32) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 32; i++) {
            String label = labels[31 - i];
            int nibble = label.length() == 1 ? Character.digit(label.charAt(0), 16) : -1;
            if (nibble < 0) {
                return Optional.empty();
            }
            bytes[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
        }
        return of(bytes);
    }

    private static Optional<InetAddress> of(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong length, which cannot happen here
        }
    }
}
