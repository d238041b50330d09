package dev.berth.cli.container;

import java.net.Inet6Address;

/**
 * Go's {@code net.ParseIP} as a yes/no: dotted-quad IPv4 (four decimal parts, each at most 255,
 * no leading zeros) or an IPv6 literal without a zone. Never a name lookup.
 */
public final class IpLiteral {
    private IpLiteral() {}

    public static boolean valid(String s) {
        if (s.indexOf(':') >= 0) {
            if (s.indexOf('%') >= 0 || s.startsWith("[")) {
                return false;
            }
            try {
                Inet6Address.ofLiteral(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return ipv4(s);
    }

    static boolean ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                    || p.length() > 1 && p.charAt(0) == '0' || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
