package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The part of the server that needs no socket: what to answer from the directory, or empty
 * when the question goes to the upstream servers. The same for UDP and TCP but for the size
 * limit.
 */
final class LocalAnswers {
    private static final System.Logger LOG = System.getLogger(LocalAnswers.class.getName());

    private final DnsDirectory directory;
    private final RoundRobin roundRobin = new RoundRobin();

    LocalAnswers(DnsDirectory directory) {
        this.directory = directory;
    }

    Optional<byte[]> answer(DnsQuery query, InetAddress asker, int limit) {
        if (query.opcode() != 0) {
            return Optional.of(DnsReply.error(query, DnsReply.NOTIMP));
        }
        if (query.name().isEmpty() || query.name().get().isEmpty()) {
            return Optional.empty();
        }
        String name = query.name().get();
        if (query.asksForPointer()) {
            return pointer(query, asker, name, limit);
        }
        if (!query.asksForAddress()) {
            return Optional.empty();
        }
        boolean v6 = query.type() == DnsQuery.TYPE_AAAA;
        Optional<List<InetAddress>> known;
        try {
            known = directory.lookup(asker, name, v6);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dns: the directory failed for " + name + " from " + asker, e);
            return Optional.of(DnsReply.error(query, DnsReply.SERVFAIL));
        }
        return known.map(addresses -> DnsReply.addresses(query, roundRobin.next(name + (v6 ? "/6" : "/4"), addresses), limit));
    }

    private Optional<byte[]> pointer(DnsQuery query, InetAddress asker, String name, int limit) {
        if (!(directory instanceof DnsReverseDirectory reverse)) {
            return Optional.empty();
        }
        Optional<InetAddress> address = ReverseName.address(name);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        try {
            return reverse.nameOf(asker, address.get()).flatMap(host -> DnsReply.pointer(query, host, limit));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dns: the directory failed for " + name + " from " + asker, e);
            return Optional.of(DnsReply.error(query, DnsReply.SERVFAIL));
        }
    }
}
