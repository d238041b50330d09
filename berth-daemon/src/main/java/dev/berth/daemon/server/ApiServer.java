package dev.berth.daemon.server;

import dev.berth.daemon.config.HostAddress;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty on every {@code -H} address: unix sockets (mode 0660, root:root), plain TCP, and TLS on
 * TCP when configured (mutual when {@code verify}). The platform threads are one selector per
 * listener and a small pool, which keeps an idle daemon small: the selectors answer the inline
 * routes themselves, the pool runs the blocking ones, and virtual threads take the blocking routes
 * beyond the pool ({@link dev.berth.daemon.api.ApiHandler}).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        // Jetty pads its thread pool's queue to cache lines; unless told how many references fit
        // in one (16: 64-byte lines, compressed oops), it asks the JVM through JMX, which starts a
        // platform MBean server and loads ~250 classes that stay resident: ~4 MiB of an idle daemon
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
    }

    /** docker load/import upload 100+ MiB bodies: read them 256 KiB at a time. */
    private static final int INPUT_BUFFER = 256 * 1024;

    /** TLS for the TCP listeners; {@code verify} requires client certificates signed by the context's CAs. */
    public record Tls(SSLContext context, boolean verify) {}

    private final Server server;
    private final List<HostAddress> requested;
    private final List<HostAddress> bound = new ArrayList<>();
    private final List<Path> sockets = new ArrayList<>();

    public ApiServer(List<HostAddress> hosts, Tls tlsOrNull, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2, 30_000);
        pool.setName("berthd");
        // one reserved thread lets a selector hand a blocking task to a waiting thread and keep
        // selecting (Jetty's execute-produce-consume). Requests no longer need it (the API handler
        // is non-blocking); it is kept for the blocking tasks Jetty itself may produce
        pool.setReservedThreads(1);
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory()));
        // buffers kept for reuse are capped: an idle daemon should not hold a load's worth of them.
        // The largest pooled size is the input buffer's: with Jetty's default (64 KiB) every new
        // connection allocated (and zeroed) a fresh 256 KiB direct buffer for its first request
        server = new Server(pool, new IdleTimeoutScheduler(), new ArrayByteBufferPool(0, 0, INPUT_BUFFER, -1, 4L << 20, 4L << 20));
        server.setStopTimeout(3_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        // docker load/import upload 100+ MiB bodies: with Jetty's 8 KiB default every few KiB is a
        // socket read and a hand-off to the reading thread
        http.setInputBufferSize(INPUT_BUFFER);
        // Jetty's header cache is a trie built for each new connection, to speed up the headers of
        // its later requests; a docker CLI command is one connection of one or two requests, and
        // building the trie was ~4% of the daemon's time for each command
        http.setHeaderCacheSize(0);
        HttpConnectionFactory h1 = new DockerHttpConnectionFactory(http);
        // Jetty checks the Host header against the certificate's names unless told otherwise;
        // docker clients send "Host: docker" or "api.moby.localhost" whatever the address
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        secure.setSniRequired(false);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(secure);
        HttpConnectionFactory h1s = new DockerHttpConnectionFactory(https);
        for (HostAddress host : hosts) {
            AbstractConnector connector;
            if (host.isUnix()) {
                UnixDomainServerConnector unix = new SelectorAcceptUnixConnector(server, h1);
                unix.setUnixDomainPath(host.socket());
                connector = unix;
            } else {
                ServerConnector tcp = tlsOrNull == null
                        ? new ServerConnector(server, 0, 1, h1)
                        : new ServerConnector(server, 0, 1, new SslConnectionFactory(sslFactory(tlsOrNull), h1s.getProtocol()), h1s);
                tcp.setHost(host.host());
                tcp.setPort(host.port());
                connector = tcp;
            }
            // keep-alive connections of idle CLIs are closed after this; streams lift it for themselves
            connector.setIdleTimeout(120_000);
            server.addConnector(connector);
        }
        server.setHandler(handler);
        this.requested = List.copyOf(hosts);
    }

    private static SslContextFactory.Server sslFactory(Tls tls) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls.context());
        factory.setNeedClientAuth(tls.verify());
        return factory;
    }

    /** Binds every address and starts serving; a unix socket left by a dead daemon is replaced. */
    public ApiServer start() {
        for (HostAddress host : requested) {
            if (host.isUnix()) {
                prepareSocketPath(host.socket());
            }
        }
        int previous = Umask.set(0117); // sockets come out 0660
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            throw BerthException.internal("cannot listen: " + describe(e), e);
        } finally {
            Umask.set(previous);
        }
        for (int i = 0; i < requested.size(); i++) {
            HostAddress host = requested.get(i);
            if (host.isUnix()) {
                secureSocket(host.socket());
                sockets.add(host.socket());
                bound.add(host);
            } else {
                bound.add(host.withPort(((ServerConnector) server.getConnectors()[i]).getLocalPort()));
            }
        }
        if (!sockets.isEmpty()) {
            RequestPathWarmup.startIfConfigured(sockets.getFirst());
        }
        return this;
    }

    /** The addresses being served, with the real ports of {@code tcp://…:0}. */
    public List<HostAddress> addresses() {
        return List.copyOf(bound);
    }

    private static void prepareSocketPath(Path socket) {
        try {
            Files.createDirectories(socket.getParent());
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                if (answers(socket)) {
                    throw BerthException.conflict("cannot listen on " + socket + ": another daemon is serving it");
                }
                Files.delete(socket);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot prepare " + socket + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    private static void secureSocket(Path socket) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            // root:root as DESIGN.md says (dockerd gives the group to "docker"); a daemon run by
            // another user for a test keeps its own user, who could not give the file away anyway
            if ((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
                Files.setAttribute(socket, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(socket, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw BerthException.internal("cannot secure " + socket + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** Stops accepting, gives running requests a moment, closes the rest, and removes the sockets. */
    @Override
    public void close() {
        stopQuietly();
        for (Path socket : sockets) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", socket, e.getMessage());
            }
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping Jetty: {}", e.toString());
        }
    }
}
