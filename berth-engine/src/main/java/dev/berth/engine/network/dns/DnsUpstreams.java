package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where the questions the directory does not answer go, per asker. Docker's embedded DNS sends
 * a container's questions to the servers of its {@code --dns}, and those of a container without
 * it to the host's resolv.conf nameservers; the engine knows the container by its address.
 * Called for every forwarded question, on the thread answering it: keep it quick.
 */
@FunctionalInterface
public interface DnsUpstreams {
    /** The servers to try in order; empty: the question is answered SERVFAIL. */
    List<InetSocketAddress> forAsker(InetAddress asker);

    /** The same servers for every asker (the host's, from {@link ResolvConf#nameservers}). */
    static DnsUpstreams fixed(List<InetSocketAddress> servers) {
        List<InetSocketAddress> copy = List.copyOf(servers);
        return asker -> copy;
    }
}
