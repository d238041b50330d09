package dev.berth.image.registry.client;

import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a registry domain is reached, by dockerd's rules (registry/service_v2.go and
 * config.go): docker.io means {@code registry-1.docker.io}, after the configured mirrors; every
 * other domain is tried over https first, and when it is insecure (listed in
 * insecure-registries by host[:port] or by a CIDR holding one of its addresses; 127.0.0.0/8 and
 * ::1 always) the https attempt skips certificate verification and plain http follows.
 */
public final class EndpointResolver {
    public static final String DOCKER_HUB_HOST = "registry-1.docker.io";

    private final List<String> insecureHosts = new ArrayList<>();
    private final List<Cidr> insecureCidrs = new ArrayList<>();
    private final List<URI> mirrors = new ArrayList<>();

    public EndpointResolver(RegistryOptions options) {
        insecureCidrs.add(Cidr.parse("127.0.0.0/8"));
        insecureCidrs.add(Cidr.parse("::1/128"));
        for (String entry : options.insecureRegistries()) {
            String e = stripScheme(entry.trim());
            if (e.contains("/") && Cidr.looksLike(e)) {
                insecureCidrs.add(Cidr.parse(e));
            } else {
                insecureHosts.add(e);
            }
        }
        for (String mirror : options.registryMirrors()) {
            String m = mirror.trim();
            if (!m.startsWith("http://") && !m.startsWith("https://")) {
                m = "https://" + m;
            }
            mirrors.add(URI.create(m));
        }
    }

    /** The endpoints for {@code domain} (a {@link Reference#domain()}), in the order to try them. */
    public List<RegistryEndpoint> endpoints(String domain) {
        List<RegistryEndpoint> out = new ArrayList<>();
        if (domain.equals(Reference.DEFAULT_DOMAIN)) {
            for (URI m : mirrors) {
                out.add(new RegistryEndpoint(m, isInsecure(m.getRawAuthority()), true));
            }
            out.add(new RegistryEndpoint(URI.create("https://" + DOCKER_HUB_HOST), false, false));
            return out;
        }
        boolean insecure = isInsecure(domain);
        out.add(new RegistryEndpoint(URI.create("https://" + domain), insecure, false));
        if (insecure) {
            out.add(new RegistryEndpoint(URI.create("http://" + domain), false, false));
        }
        return out;
    }

    /** Whether dockerd would treat host[:port] as an insecure registry. */
    public boolean isInsecure(String hostPort) {
        if (insecureHosts.contains(hostPort)) {
            return true;
        }
        String host = hostOf(hostPort);
        if (insecureHosts.contains(host)) {
            return true;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return false; // dockerd: an unresolvable host is looked up by name only
        }
        for (InetAddress a : addresses) {
            for (Cidr c : insecureCidrs) {
                if (c.contains(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(1, end);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 || hostPort.indexOf(':') != colon ? hostPort : hostPort.substring(0, colon);
    }

    private static String stripScheme(String s) {
        String out = s.replaceFirst("^https?://", "");
        return out.endsWith("/") && !Cidr.looksLike(out) ? out.substring(0, out.length() - 1) : out;
    }

    /** An address block, IPv4 or IPv6. */
    record Cidr(byte[] network, int bits) {
        static boolean looksLike(String s) {
            return s.matches("[0-9a-fA-F:.]+/[0-9]{1,3}");
        }

        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            try {
                byte[] net = InetAddress.ofLiteral(s.substring(0, slash)).getAddress();
                int bits = Integer.parseInt(s.substring(slash + 1));
                if (bits < 0 || bits > net.length * 8) {
                    throw BerthException.invalid("invalid CIDR " + s);
                }
                return new Cidr(net, bits);
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid("invalid CIDR " + s);
            }
        }

        boolean contains(InetAddress a) {
            byte[] addr = a.getAddress();
            if (addr.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((addr[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
