package dev.berth.engine.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files docker bind-mounts over the image's {@code /etc/hostname}, {@code /etc/hosts} and
 * {@code /etc/resolv.conf}, written into the container's directory.
 */
public final class EtcFiles {
    public static final String HOSTNAME = "hostname";
    public static final String HOSTS = "hosts";
    public static final String RESOLV_CONF = "resolv.conf";

    private static final String LOCAL_HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private EtcFiles() {}

    /**
     * Writes the three files for a container in {@code dir}; with the host's network, its own
     * hosts and resolv.conf. No fsync: they are made again at every start, and each fsync costs
     * milliseconds on the start path.
     */
    public static void write(Path dir, String hostname, boolean hostNetwork, Path hostEtc) {
        write(dir, hostname, hostNetwork, hostEtc, dev.berth.engine.container.NameResolution.NONE);
    }

    /** {@link #write}, with --add-host lines appended to hosts and --dns* replacing the resolv.conf's of their kind. */
    public static void write(Path dir, String hostname, boolean hostNetwork, Path hostEtc,
                             dev.berth.engine.container.NameResolution names) {
        write(dir, hostname, hostNetwork, hostEtc, names, java.util.List.of(), "");
    }

    /**
     * {@link #write}, for a container with addresses: hosts gets docker's lines for them
     * ({@code 172.18.0.2\t<hostname>}, then its IPv6 one on a dual-stack network, after the local
     * lines and before --add-host's), and on a
     * user-defined network resolv.conf names the embedded DNS server ({@code embeddedDns}, the
     * network's gateway) instead of the host's servers, with docker's {@code options ndots:0};
     * --dns servers then come after it.
     *
     * @param selfAddresses the container's addresses on its first network (IPv4, then IPv6); none for no network
     * @param embeddedDns the embedded DNS server's address; empty for the host's servers
     */
    public static void write(Path dir, String hostname, boolean hostNetwork, Path hostEtc,
                             dev.berth.engine.container.NameResolution names, java.util.List<String> selfAddresses, String embeddedDns) {
        write(dir.resolve(HOSTNAME), hostname + "\n");
        StringBuilder hosts = new StringBuilder(hostNetwork ? readOr(hostEtc.resolve("hosts"), LOCAL_HOSTS) : LOCAL_HOSTS);
        if (!hosts.isEmpty() && hosts.charAt(hosts.length() - 1) != '\n') {
            hosts.append('\n');
        }
        for (String selfAddress : selfAddresses) {
            hosts.append(selfAddress).append('\t').append(hostname).append('\n');
        }
        for (String line : names.hostsLines()) {
            hosts.append(line).append('\n');
        }
        write(dir.resolve(HOSTS), hosts.toString());
        String host = readOr(hostEtc.resolve("resolv.conf"), "");
        if (!embeddedDns.isEmpty()) {
            write(dir.resolve(RESOLV_CONF), embeddedResolvConf(host, embeddedDns, names));
            return;
        }
        // the host's loopback servers are dropped for another network namespace; the user's --dns never are
        String resolv = hostNetwork ? host : containerResolvConf(host);
        write(dir.resolve(RESOLV_CONF), names.changesResolvConf() ? withNames(resolv, names) : resolv);
    }

    /**
     * resolv.conf on a user-defined network: the embedded server first (it forwards what it does
     * not know to the host's servers), then the --dns servers; search and options as the host's
     * unless --dns-search/--dns-option; ndots:0 as docker's unless an option sets ndots.
     */
    static String embeddedResolvConf(String host, String server, dev.berth.engine.container.NameResolution names) {
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : host.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("search") || t.startsWith("domain")) {
                search.add(t);
            } else if (t.startsWith("options")) {
                options.addAll(List.of(t.substring("options".length()).strip().split("\\s+")));
            }
        }
        if (!names.dnsSearch().isEmpty()) {
            search = List.of("search " + String.join(" ", names.dnsSearch()));
        }
        if (!names.dnsOptions().isEmpty()) {
            options = new ArrayList<>(names.dnsOptions());
        }
        options.removeIf(String::isBlank);
        if (options.stream().noneMatch(o -> o.startsWith("ndots:"))) {
            options.add("ndots:0");
        }
        StringBuilder out = new StringBuilder();
        out.append("nameserver ").append(server).append('\n');
        for (String ns : names.dns()) {
            out.append("nameserver ").append(ns).append('\n');
        }
        for (String s : search) {
            out.append(s).append('\n');
        }
        out.append("options ").append(String.join(" ", options)).append('\n');
        return out.toString();
    }

    /** The resolv.conf with nameservers, search and options replaced by --dns, --dns-search, --dns-option where given. */
    static String withNames(String resolv, dev.berth.engine.container.NameResolution names) {
        List<String> lines = new ArrayList<>();
        for (String line : resolv.split("\n", -1)) {
            String t = line.strip();
            if ((t.startsWith("nameserver") && !names.dns().isEmpty())
                    || ((t.startsWith("search") || t.startsWith("domain")) && !names.dnsSearch().isEmpty())
                    || (t.startsWith("options") && !names.dnsOptions().isEmpty())) {
                continue;
            }
            lines.add(line);
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        for (String ns : names.dns()) {
            lines.add("nameserver " + ns);
        }
        if (!names.dnsSearch().isEmpty()) {
            lines.add("search " + String.join(" ", names.dnsSearch()));
        }
        if (!names.dnsOptions().isEmpty()) {
            lines.add("options " + String.join(" ", names.dnsOptions()));
        }
        return String.join("\n", lines).strip() + "\n";
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw dev.berth.oci.BerthException.internal("write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The host's resolv.conf without loopback nameservers (unreachable from another network
     * namespace); when none is left, docker's fallback: Google's public DNS.
     */
    static String containerResolvConf(String host) {
        List<String> lines = new ArrayList<>();
        boolean anyNameserver = false;
        for (String line : host.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("nameserver")) {
                String[] f = t.split("\\s+");
                if (f.length >= 2 && (f[1].startsWith("127.") || f[1].equals("::1"))) {
                    continue;
                }
                anyNameserver = true;
            }
            lines.add(line);
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        if (!anyNameserver) {
            lines.add("");
            lines.add("nameserver 8.8.8.8");
            lines.add("nameserver 8.8.4.4");
        }
        return String.join("\n", lines).strip() + "\n";
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
    }
}
