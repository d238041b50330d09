package dev.berth.engine.network.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * One query to one reply, the same for UDP and TCP: the directory first, then the asker's
 * upstream servers over the client's transport, else SERVFAIL. Blocking; runs on the query's
 * virtual thread.
 */
final class QueryAnswerer {
    private static final System.Logger LOG = System.getLogger(QueryAnswerer.class.getName());

    /** Questions waiting for upstream servers at once; more are dropped (the client asks again). */
    static final int MAX_FORWARDS = 256;

    private final Semaphore forwards = new Semaphore(MAX_FORWARDS);
    private final LocalAnswers local;
    private final DnsUpstreams upstreams;
    private final UpstreamForwarder forwarder;
    private final Predicate<InetSocketAddress> own;

    /**
     * @param own the server's own listening addresses: never forwarded to, or a resolv.conf
     *     naming one of them would send a question round until the in-flight limit is spent
     */
    QueryAnswerer(LocalAnswers local, DnsUpstreams upstreams, UpstreamForwarder forwarder, Predicate<InetSocketAddress> own) {
        this.local = local;
        this.upstreams = upstreams;
        this.forwarder = forwarder;
        this.own = own;
    }

    /** The reply, or empty when the question is dropped: too many are waiting for upstream servers. */
    Optional<byte[]> answer(DnsQuery query, InetAddress asker, boolean tcp) {
        int limit = tcp ? DnsReply.TCP_LIMIT : DnsReply.udpLimit(query);
        Optional<byte[]> reply = local.answer(query, asker, limit);
        if (reply.isPresent()) {
            return reply;
        }
        List<InetSocketAddress> servers;
        try {
            servers = upstreams.forAsker(asker).stream().filter(own.negate()).toList();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dns: no upstream servers for " + asker, e);
            servers = List.of();
        }
        if (!forwards.tryAcquire()) {
            return Optional.empty();
        }
        try {
            return Optional.of(forwarder.ask(query, servers, tcp).orElseGet(() -> DnsReply.error(query, DnsReply.SERVFAIL)));
        } finally {
            forwards.release();
        }
    }
}
