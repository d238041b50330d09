package dev.berth.engine.network.dns;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * berth's embedded DNS server for user-defined networks: containers resolve each other by name
 * and alias through the {@link DnsDirectory}; every other question goes to the host's resolvers.
 *
 * <p>It listens, UDP and TCP, on each address it is told to (berth: each user network's gateway
 * address, port 53, in the host's namespace). One platform thread runs a selector over all
 * listeners, so a hundred networks cost one thread; a query that gets past the parser is
 * answered on a virtual thread of its own (the directory or an upstream server may block), at
 * most {@value #MAX_IN_FLIGHT} at a time, of which at most {@value QueryAnswerer#MAX_FORWARDS}
 * wait for upstream servers (so a flood of names that time out upstream cannot starve the
 * containers' names): beyond that UDP queries are dropped, as an overloaded resolver does, and
 * the client asks again.
 *
 * <p>Malformed packets (see {@link DnsQuery#parse}) are dropped without an answer. The
 * directory is asked with the asker's source address and the name in lower case, without the
 * trailing dot. Answers from the directory: A and AAAA of class IN, TTL 600 as docker's, rotated one step per
 * question for names with several addresses; a UDP answer that does not fit the client's size
 * (512 bytes, or its EDNS size up to 4096) carries the addresses that fit and the TC bit, and
 * the client's retry over TCP gets them all. Other questions are forwarded byte for byte over
 * the transport the client used; SERVFAIL when no upstream server answers in time.
 */
public final class EmbeddedDns implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedDns.class.getName());

    /** Queries being answered at once, each on its virtual thread. */
    static final int MAX_IN_FLIGHT = 1024;
    /** TCP connections open at once; more are closed on accept. */
    static final int MAX_TCP_CONNECTIONS = 64;
    /** A TCP client that sends nothing for this long is disconnected (RFC 7766 suggests seconds). */
    static final Duration TCP_IDLE = Duration.ofSeconds(10);
    /** Datagrams read from one socket per wake-up before the others get their turn. */
    private static final int UDP_BURST = 64;

    /** A sensible upstream timeout: stub resolvers wait about 5 s before they give up on a try. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(2);

    private final QueryAnswerer answerer;
    private final Selector selector;
    private final Thread loop;
    private final Map<InetSocketAddress, Listener> listeners = new ConcurrentHashMap<>();
    private final Queue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /** The queries' and TCP connections' virtual threads: interrupted at close (a blocked socket then closes). */
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-dns-query").factory());
    private final Semaphore tcpSlots = new Semaphore(MAX_TCP_CONNECTIONS);
    private final Set<SocketChannel> tcpSessions = ConcurrentHashMap.newKeySet();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(DnsReply.TCP_LIMIT);
    private final byte[] receiveBytes = new byte[DnsReply.TCP_LIMIT];
    private volatile boolean closed;

    /**
     * @param directory the containers' names, asked for every A and AAAA question
     * @param upstreams the host's resolvers in order of preference (see {@link ResolvConf});
     *     empty: every question the directory does not answer gets SERVFAIL
     * @param upstreamTimeout how long each upstream server has to answer
     */
    public EmbeddedDns(DnsDirectory directory, List<InetSocketAddress> upstreams, Duration upstreamTimeout) {
        this(directory, DnsUpstreams.fixed(upstreams), upstreamTimeout);
    }

    /**
     * @param directory the containers' names, asked for every A and AAAA question; called on
     *     many threads at once
     * @param upstreams where each asker's other questions go (its --dns servers, or the host's)
     * @param upstreamTimeout how long each upstream server has to answer
     */
    public EmbeddedDns(DnsDirectory directory, DnsUpstreams upstreams, Duration upstreamTimeout) {
        this.answerer = new QueryAnswerer(
                new LocalAnswers(directory), upstreams, new UpstreamForwarder(upstreamTimeout), this::isOwn);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw BerthException.internal("dns: cannot open a selector: " + e.getMessage(), e);
        }
        this.loop = Thread.ofPlatform().name("berth-dns").daemon().unstarted(this::run);
        loop.start();
    }

    /**
     * Serves DNS on {@code address} over UDP and TCP, to any asker that can reach it. Idempotent:
     * an address already served is not bound twice. Port 0 picks a port free for both protocols.
     *
     * @return the address bound (the port filled in)
     */
    public InetSocketAddress listen(InetSocketAddress address) {
        return listen(address, -1);
    }

    /**
     * As {@link #listen(InetSocketAddress)}, answering only askers inside the listener's own
     * subnet ({@code address}/{@code prefixLength}): the gateway address is reachable from
     * outside the bridge too, and an open resolver on the host is not something to offer.
     * Questions from other addresses are dropped.
     */
    public synchronized InetSocketAddress listen(InetSocketAddress address, int prefixLength) {
        if (closed) {
            throw BerthException.precondition("dns: the server is closed");
        }
        Listener existing = listeners.get(address);
        if (existing != null) {
            return existing.bound();
        }
        int maxPrefix = address.getAddress() instanceof Inet6Address ? 128 : 32;
        if (prefixLength > maxPrefix) {
            throw BerthException.invalid("dns: prefix length " + prefixLength + " is out of range for " + address);
        }
        Listener listener = bind(address, prefixLength);
        listeners.put(address, listener);
        onLoop(() -> {
            try {
                listener.udp().register(selector, SelectionKey.OP_READ, listener);
                listener.tcp().register(selector, SelectionKey.OP_ACCEPT, listener);
            } catch (ClosedChannelException e) {
                // unlistened or closed before the loop got here: nothing to serve
            }
        });
        LOG.log(System.Logger.Level.DEBUG, "dns: listening on {0}", listener.bound());
        return listener.bound();
    }

    /**
     * Stops serving {@code address} (as given to {@link #listen}); returns once both sockets are
     * closed, so the address can be bound again at once. Queries already being answered finish;
     * their replies are lost. Unknown addresses are ignored.
     */
    public synchronized void unlisten(InetSocketAddress address) {
        Listener listener = listeners.remove(address);
        if (listener == null) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            listener.closeQuietly();
            try {
                selector.selectNow(); // flushes the cancelled keys: the kernel sockets close now
            } catch (IOException e) {
                // the next select flushes them
            }
            done.complete(null);
        });
        awaitLoop(done, listener);
    }

    private boolean isOwn(InetSocketAddress server) {
        for (Listener listener : listeners.values()) {
            if (listener.bound().equals(server)) {
                return true;
            }
        }
        return false;
    }

    /** The addresses being served, as given to {@link #listen}. */
    public Set<InetSocketAddress> listening() {
        return Set.copyOf(listeners.keySet());
    }

    /** Closes every listener and TCP connection and ends the selector thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.values().forEach(Listener::closeQuietly);
        listeners.clear();
        tcpSessions.forEach(Listener::closeQuietly);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "dns: closing the selector", e);
        }
    }

    private Listener bind(InetSocketAddress address, int prefixLength) {
        ProtocolFamily family = address.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        // With port 0 the UDP socket picks a port and TCP takes the same one; another process
        // may hold that TCP port, so a few tries.
        int tries = address.getPort() == 0 ? 10 : 1;
        IOException last = null;
        for (int i = 0; i < tries; i++) {
            DatagramChannel udp = null;
            ServerSocketChannel tcp = null;
            try {
                udp = DatagramChannel.open(family);
                // Room for a burst of queries while the loop is busy (the kernel caps it at rmem_max).
                udp.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                udp.bind(address);
                udp.configureBlocking(false);
                InetSocketAddress bound = (InetSocketAddress) udp.getLocalAddress();
                tcp = ServerSocketChannel.open(family);
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(bound, 64);
                tcp.configureBlocking(false);
                return new Listener(bound, AskerScope.of(address.getAddress(), prefixLength), udp, tcp);
            } catch (IOException e) {
                last = e;
                Listener.closeQuietly(udp);
                Listener.closeQuietly(tcp);
            }
        }
        throw BerthException.internal("dns: cannot listen on " + address + ": " + last.getMessage(), last);
    }

    private void onLoop(Runnable task) {
        loopTasks.add(task);
        selector.wakeup();
    }

    private void awaitLoop(CompletableFuture<Void> done, Listener listener) {
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.closeQuietly();
        } catch (ExecutionException | TimeoutException e) {
            listener.closeQuietly(); // the loop has ended (closed): close from here
        }
    }

    private void run() {
        while (!closed) {
            try {
                selector.select();
                for (Runnable task; (task = loopTasks.poll()) != null; ) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    serve(key);
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                // One bad moment must not end DNS for every network.
                LOG.log(System.Logger.Level.WARNING, "dns: the selector loop failed once", e);
            }
        }
        for (Runnable task; (task = loopTasks.poll()) != null; ) {
            task.run();
        }
    }

    private void serve(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Listener listener = (Listener) key.attachment();
        if (key.channel() instanceof DatagramChannel udp) {
            readDatagrams(listener, udp);
        } else if (key.channel() instanceof ServerSocketChannel tcp) {
            accept(listener, tcp);
        }
    }

    private void readDatagrams(Listener listener, DatagramChannel udp) {
        for (int i = 0; i < UDP_BURST; i++) {
            SocketAddress from;
            try {
                receiveBuffer.clear();
                from = udp.receive(receiveBuffer);
            } catch (IOException e) {
                return; // an ICMP error from an earlier send, or closed
            }
            if (from == null) {
                return;
            }
            receiveBuffer.flip();
            int length = receiveBuffer.remaining();
            receiveBuffer.get(receiveBytes, 0, length);
            if (!(from instanceof InetSocketAddress asker) || !listener.scope().admits(asker.getAddress())) {
                continue;
            }
            Optional<DnsQuery> query = DnsQuery.parse(receiveBytes, length);
            if (query.isEmpty() || !inFlight.tryAcquire()) {
                continue;
            }
            if (!submit(() -> {
                try {
                    answerUdp(udp, query.get(), asker);
                } finally {
                    inFlight.release();
                }
            })) {
                inFlight.release();
            }
        }
    }

    /** Runs {@code task} on a virtual thread of its own; false when the server is closing. */
    private boolean submit(Runnable task) {
        try {
            workers.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void answerUdp(DatagramChannel udp, DnsQuery query, InetSocketAddress asker) {
        try {
            Optional<byte[]> reply = answerer.answer(query, asker.getAddress(), false);
            if (reply.isPresent()) {
                udp.send(ByteBuffer.wrap(reply.get()), asker);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "dns: reply to {0} lost: {1}", asker, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dns: answering " + asker + " failed", e);
        }
    }

    private void accept(Listener listener, ServerSocketChannel server) {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return;
            }
            if (channel == null) {
                return;
            }
            InetAddress asker = channel.socket().getInetAddress();
            if (!listener.scope().admits(asker) || !tcpSlots.tryAcquire()) {
                Listener.closeQuietly(channel);
                continue;
            }
            tcpSessions.add(channel);
            if (!submit(() -> {
                try {
                    new TcpDnsSession(channel, answerer, TCP_IDLE).run();
                } finally {
                    tcpSessions.remove(channel);
                    tcpSlots.release();
                }
            })) {
                tcpSessions.remove(channel);
                tcpSlots.release();
                Listener.closeQuietly(channel);
            }
        }
    }
}
