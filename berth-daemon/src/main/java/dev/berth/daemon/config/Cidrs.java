package dev.berth.daemon.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** CIDR text as Go's net.ParseCIDR takes it (an IP literal, a slash, a prefix length), normalized to its network. */
public final class Cidrs {
    private Cidrs() {}

    public static boolean isCidr(String text) {
        return network(text).isPresent();
    }

    /** {@code 10.1.2.3/8} → {@code 10.0.0.0/8}; empty when the text is no CIDR. */
    public static Optional<String> network(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            return Optional.empty();
        }
        String ip = text.substring(0, slash);
        String bits = text.substring(slash + 1);
        // only literals: InetAddress.getByName would otherwise resolve a host name
        if (!bits.matches("[0-9]{1,3}") || !(ip.matches("[0-9.]+") || ip.matches("[0-9A-Fa-f:.]+") && ip.contains(":"))) {
            return Optional.empty();
        }
        byte[] address;
        try {
            address = InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        if (ip.matches("[0-9.]+") && (address.length != 4 || ip.split("\\.", -1).length != 4)) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(bits);
        if (prefix > address.length * 8) {
            return Optional.empty();
        }
        for (int i = 0; i < address.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            address[i] = (byte) (address[i] & (0xff << (8 - keep)));
        }
        return Optional.of((address.length == 4 ? ipv4(address) : ipv6(address)) + "/" + prefix);
    }

    private static String ipv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    /** RFC 5952 text, as Go prints it: the longest run of two or more zero groups becomes "::". */
    private static String ipv6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (a[2 * i] & 0xff) << 8 | a[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
