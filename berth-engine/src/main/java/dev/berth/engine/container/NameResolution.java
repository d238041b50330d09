package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.util.List;

/**
 * What a container's /etc/hosts and /etc/resolv.conf get on top of the defaults: docker's
 * {@code --add-host name:ip} (HostConfig.ExtraHosts), {@code --dns}, {@code --dns-search},
 * {@code --dns-option} (Dns, DnsSearch, DnsOptions; each replaces the host's of its kind).
 */
public record NameResolution(List<String> extraHosts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions) {
    public static final NameResolution NONE = new NameResolution(List.of(), List.of(), List.of(), List.of());

    public NameResolution {
        extraHosts = List.copyOf(extraHosts);
        dns = List.copyOf(dns);
        dnsSearch = List.copyOf(dnsSearch);
        dnsOptions = List.copyOf(dnsOptions);
        for (String h : extraHosts) {
            int sep = h.indexOf(':');
            if (sep <= 0 || sep == h.length() - 1) {
                throw BerthException.invalid("invalid argument \"" + h + "\" for \"--add-host\" flag: bad format for add-host: \"" + h + "\"");
            }
            if (h.substring(sep + 1).equals("host-gateway")) {
                throw BerthException.unsupported("--add-host " + h + ": host-gateway needs a bridge network, which comes with issue 5");
            }
        }
    }

    /** /etc/hosts lines for ExtraHosts: docker writes {@code ip<TAB>name}, the address after the first colon (IPv6 keeps its colons). */
    public List<String> hostsLines() {
        return extraHosts.stream().map(h -> {
            int sep = h.indexOf(':');
            return h.substring(sep + 1) + "\t" + h.substring(0, sep);
        }).toList();
    }

    public boolean changesResolvConf() {
        return !dns.isEmpty() || !dnsSearch.isEmpty() || !dnsOptions.isEmpty();
    }
}
