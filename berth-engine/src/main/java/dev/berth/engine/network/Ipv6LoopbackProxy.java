package dev.berth.engine.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one userland proxy berth runs: {@code [::1]:hostPort} to a container's published TCP port.
 * The kernel path (portmap's DNAT, with route_localnet for 127.0.0.1) cannot serve IPv6's
 * loopback, which has no such switch; docker serves it through docker-proxy, and clients that
 * try {@code localhost} as ::1 first would otherwise be refused. Virtual threads: an accept loop
 * and two copying threads per connection, each direction half-closed on its own end of file.
 */
public final class Ipv6LoopbackProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Ipv6LoopbackProxy.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private Ipv6LoopbackProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on [::1]:hostPort; empty (and logged) when that cannot be bound, e.g. a host without IPv6 on lo. */
    public static Optional<Ipv6LoopbackProxy> start(int hostPort, InetSocketAddress target) {
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), hostPort), 128);
        } catch (IOException e) {
            closeQuietly(s);
            LOG.log(System.Logger.Level.INFO, "[::1]:" + hostPort + " not served: " + e.getMessage());
            return Optional.empty();
        }
        Ipv6LoopbackProxy p = new Ipv6LoopbackProxy(s, target);
        Thread.ofVirtual().name("berth-proxy-" + hostPort).start(p::acceptLoop);
        return Optional.of(p);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().name("berth-proxy-conn").start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            upstream.connect(target, CONNECT_TIMEOUT_MS);
            Thread back = Thread.ofVirtual().name("berth-proxy-back").start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the container refused or went away: the client sees its connection closed
        } finally {
            open.remove(client);
            open.remove(upstream);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies one direction until end of file, then half-closes the other side's output. */
    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    /** Stops listening and ends every connection (the container is going away). */
    @Override
    public void close() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
