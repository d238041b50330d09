package dev.berth.daemon.config;

import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.BerthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code --insecure-registry} and {@code --registry-mirror} (daemon.json {@code insecure-registries},
 * {@code registry-mirrors}) checked and normalized as dockerd's registry service config does,
 * with dockerd's error words, so that a daemon.json written for dockerd means the same here.
 */
public final class RegistrySettings {
    /** host, IPv4 or [IPv6], optional port: what dockerd's validateHostPort accepts. */
    private static final Pattern HOST_PORT = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?");

    private RegistrySettings() {}

    public static RegistryOptions resolve(List<String> insecure, List<String> mirrors) {
        return new RegistryOptions(insecure(insecure), mirrors(mirrors), RegistryOptions.defaults().certsDirectory());
    }

    /**
     * Each a CIDR or a host[:port]; dockerd strips an http:// or https:// prefix (with a warning)
     * and refuses any other scheme. Duplicates are dropped, order kept.
     */
    static List<String> insecure(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String raw : given) {
            String r = raw.trim();
            String lower = r.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://")) {
                r = r.substring(7);
            } else if (lower.startsWith("https://")) {
                r = r.substring(8);
            } else if (r.contains("://")) {
                throw BerthException.invalid("insecure registry " + raw + " should not contain '://'");
            }
            if (r.isEmpty() || !(Cidrs.isCidr(r) || HOST_PORT.matcher(r).matches())) {
                throw BerthException.invalid("insecure registry " + raw + " is not valid");
            }
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** http or https URLs without path, query, fragment or credentials; normalized with one trailing slash. */
    static List<String> mirrors(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String raw : given) {
            String m = raw.trim();
            URI uri;
            try {
                uri = new URI(m);
            } catch (URISyntaxException e) {
                throw BerthException.invalid("invalid mirror: \"" + raw + "\" is not a valid URI");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw BerthException.invalid("invalid mirror: unsupported scheme \"" + scheme + "\" in \"" + raw + "\"");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw BerthException.invalid("invalid mirror: path, query, or fragment at end of the URI \"" + raw + "\"");
            }
            if (uri.getRawUserInfo() != null) {
                throw BerthException.invalid("invalid mirror: username/password not allowed in URI \"" + raw + "\"");
            }
            if (uri.getHost() == null) {
                throw BerthException.invalid("invalid mirror: \"" + raw + "\" is not a valid URI");
            }
            String normalized = (m.endsWith("/") ? m.substring(0, m.length() - 1) : m) + "/";
            if (!out.contains(normalized)) {
                out.add(normalized);
            }
        }
        return out;
    }
}
