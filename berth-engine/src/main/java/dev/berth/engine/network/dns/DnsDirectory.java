package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the embedded DNS server asks the engine: the addresses a name has for the container that
 * asks (known by its source address, which tells its network). Empty when the name is no
 * container's or alias's on the asker's networks: the server then forwards the question to the
 * host's resolvers. A present but empty list means the name is known but has no address of
 * that family (an AAAA question for an IPv4-only container): answered with no records.
 */
@FunctionalInterface
public interface DnsDirectory {
    Optional<List<InetAddress>> lookup(InetAddress asker, String name, boolean ipv6);
}
