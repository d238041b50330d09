package dev.berth.cli.container;

import java.net.Inet6Address;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker run's {@code --dns}, {@code --dns-search} and {@code --add-host}, checked and rewritten
 * as the docker CLI's validators do (opts.ValidateIPAddress, ValidateDNSSearch, ValidateExtraHost),
 * with their words as pflag errors: {@code invalid argument "x" for "--dns" flag: IP address is not
 * correctly formatted: x}.
 */
final class NameResolutionFlags {
    private static final Pattern ALPHA = Pattern.compile("[a-zA-Z]");
    // docker's own pattern, "(:?" groups included (they allow a stray colon)
    private static final Pattern DOMAIN = Pattern.compile("^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9]))"
            + "(:?\\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])))*)\\.?\\s*$");

    private NameResolutionFlags() {}

    /** --dns: the address in Go's canonical form ("0:0::1" → "::1"). */
    static String dns(String value) {
        String ip = canonical(value.strip());
        if (ip == null) {
            throw new FlagValueException("--dns", value, "IP address is not correctly formatted: " + value);
        }
        return ip;
    }

    /** --dns-search: a domain, or "." for none. */
    static String dnsSearch(String value) {
        String v = value.replaceAll("^ +| +$", "");
        if (v.equals(".")) {
            return v;
        }
        Matcher m = DOMAIN.matcher(v);
        if (!ALPHA.matcher(v).find() || !m.find() || m.group(1).length() >= 255) {
            throw new FlagValueException("--dns-search", value, v + " is not a valid domain");
        }
        return m.group(1);
    }

    /** --add-host name:ip or name=ip ("[ip]" allowed, "host-gateway" kept), sent as "name:ip". */
    static String extraHost(String value) {
        int eq = value.indexOf('=');
        int sep = eq >= 0 ? eq : value.indexOf(':');
        String name = sep < 0 ? "" : value.substring(0, sep);
        String ip = sep < 0 ? "" : value.substring(sep + 1);
        if (sep < 0 || name.isEmpty() || name.indexOf(':') >= 0) {
            throw new FlagValueException("--add-host", value, "bad format for add-host: " + GoValues.quote(value));
        }
        if (!ip.equals("host-gateway")) {
            if (ip.length() > 2 && ip.charAt(0) == '[' && ip.charAt(ip.length() - 1) == ']') {
                ip = ip.substring(1, ip.length() - 1);
            }
            if (canonical(ip.strip()) == null) {
                throw new FlagValueException("--add-host", value, "invalid IP address in add-host: " + GoValues.quote(ip));
            }
        }
        return name + ":" + ip;
    }

    /** Go's net.ParseIP(s).String(), or null when s is no address. */
    static String canonical(String s) {
        if (!IpLiteral.valid(s)) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return s;
        }
        byte[] b = Inet6Address.ofLiteral(s).getAddress();
        if (b.length == 4) {
            // an IPv4-mapped address: Go prints the IPv4 form
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        // the longest run of two or more zero groups becomes "::" (the first of equal runs)
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
