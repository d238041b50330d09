package dev.berth.registry.http;

import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty serving one {@link RegistryHandler} on one TCP address, plain HTTP or TLS (with client
 * certificates required when asked). Usable as a library: tests start it on port 0 and read the
 * port back. Requests run on virtual threads, so a slow upload or a large blob holds no
 * platform thread; the platform threads are the acceptor, the selector and a small pool.
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        // as berthd does: without it Jetty asks the JVM through JMX, which starts an MBean server
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
    }

    /** Uploads arrive in bodies of many MiB: read them 256 KiB at a time, not Jetty's 8 KiB. */
    private static final int INPUT_BUFFER = 256 * 1024;

    /** TLS for the listener; {@code verifyClients} requires certificates signed by the context's CAs. */
    public record Tls(SSLContext context, boolean verifyClients) {}

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    /**
     * @param host the address to bind: 127.0.0.1 unless the operator asked for more; null or
     *     empty binds every address
     * @param port the port, 0 for any free one (see {@link #port()})
     */
    public RegistryServer(String host, int port, Tls tlsOrNull, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(32, 2, 30_000);
        pool.setName("registry");
        pool.setReservedThreads(1);
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("registry-", 0).factory()));
        server = new Server(pool, null, new ArrayByteBufferPool(0, 0, INPUT_BUFFER, -1, 16L << 20, 16L << 20));
        server.setStopTimeout(3_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.setInputBufferSize(INPUT_BUFFER);
        // relative Location headers as the spec allows: what the client sent is what it reuses
        http.setRelativeRedirectAllowed(true);
        if (tlsOrNull == null) {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        } else {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // clients connect by IP (127.0.0.1:PORT) to a certificate naming a host: no SNI check
            secure.setSniHostCheck(false);
            secure.setSniRequired(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tlsOrNull.context());
            ssl.setNeedClientAuth(tlsOrNull.verifyClients());
            HttpConnectionFactory h1 = new HttpConnectionFactory(http);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
        }
        connector.setHost(host == null || host.isEmpty() ? null : host);
        connector.setPort(port);
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setErrorHandler(new JettyErrors());
        this.tls = tlsOrNull != null;
    }

    public RegistryServer start() {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + describe() + ": " + rootMessage(e), e);
        }
        LOG.info("listening on {}", baseUrl());
        return this;
    }

    /** The port bound (the real one when 0 was asked). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://…}: where clients reach this server. */
    public String baseUrl() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls ? "https://" : "http://") + host + ":" + port();
    }

    private String describe() {
        return (connector.getHost() == null ? "*" : connector.getHost()) + ":" + connector.getPort();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** Stops accepting, gives running requests a moment to finish, and closes the rest. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping Jetty: {}", e.toString());
        }
    }
}
