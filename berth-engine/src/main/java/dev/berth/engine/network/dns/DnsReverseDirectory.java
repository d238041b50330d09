package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What a {@link DnsDirectory} may also know: the name of an address, for PTR questions
 * ({@code 2.0.201.10.in-addr.arpa}). Docker's embedded DNS answers those for the containers on
 * the asker's networks, with {@code <container name>.<network name>}. A directory that
 * implements this interface too gets them answered; otherwise, and when this returns empty,
 * they are forwarded as any other question. Called on many threads at once.
 */
@FunctionalInterface
public interface DnsReverseDirectory {
    /** The host name (no trailing dot) of {@code address} as {@code asker} sees it, or empty. */
    Optional<String> nameOf(InetAddress asker, InetAddress address);
}
