package dev.berth.engine.network.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nameservers of a resolv.conf (resolv.conf(5)): the upstream servers of the embedded DNS.
 * Loopback servers are kept: the server runs in the host's namespace, so a host resolver on
 * 127.0.0.53 is reachable from it (docker's in-container resolver has to leave those out).
 */
public final class ResolvConf {
    /** The DNS port, where every resolv.conf nameserver listens. */
    public static final int DNS_PORT = 53;

    private ResolvConf() {}

    /**
     * The upstream servers for every asker: the nameservers of {@code file}, read again whenever
     * it changes (a host's resolv.conf does: DHCP, VPNs), so a long-running server follows it.
     */
    public static DnsUpstreams following(Path file) {
        return new FollowedResolvConf(file);
    }

    /** The nameservers in {@code file}, in order; none when the file is missing or unreadable. */
    public static List<InetSocketAddress> nameservers(Path file) {
        try {
            return nameservers(Files.readString(file));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            System.getLogger(ResolvConf.class.getName())
                    .log(System.Logger.Level.WARNING, "dns: cannot read " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * The nameservers in resolv.conf text: lines {@code nameserver ADDRESS}, comments after '#'
     * or ';', addresses that are not IP literals (the resolver ignores them too) skipped,
     * duplicates once. An IPv6 zone ({@code fe80::1%eth0}) is kept (a server
     * on an interface that does not exist is skipped).
     */
    public static List<InetSocketAddress> nameservers(String text) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : text.split("\n")) {
            String content = line.split("[#;]", 2)[0].strip();
            String[] words = content.split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver")) {
                continue;
            }
            Optional<InetAddress> address = literal(words[1]);
            if (address.isEmpty()) {
                continue;
            }
            InetSocketAddress server = new InetSocketAddress(address.get(), DNS_PORT);
            if (!servers.contains(server)) {
                servers.add(server);
            }
        }
        return List.copyOf(servers);
    }

    /**
     * An IP literal, never a host name lookup. A zone given as an interface name is turned into
     * its index: Java's own parsing of {@code fe80::1%eth0} needs a link-local address on eth0.
     */
    private static Optional<InetAddress> literal(String text) {
        int percent = text.indexOf('%');
        String literal = text;
        if (percent > 0 && !text.substring(percent + 1).chars().allMatch(Character::isDigit)) {
            try {
                NetworkInterface nif = NetworkInterface.getByName(text.substring(percent + 1));
                if (nif == null) {
                    return Optional.empty();
                }
                literal = text.substring(0, percent) + "%" + nif.getIndex();
            } catch (SocketException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
