package dev.berth.engine.network;

import dev.berth.oci.BerthException;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/**
 * The host ports published containers hold. Each one is reserved with a socket bound to it but
 * not listening (for udp: bound, and the kernel's DNAT sends the traffic past it), so that no
 * other program takes a published port, and a port some program uses cannot be published:
 * dockerd's userland proxy holds ports the same way. A host port 0 takes a free one from
 * 32768–60999 (docker's default ephemeral range).
 */
public final class PortAllocator {
    public static final int FIRST_EPHEMERAL = 32768;
    public static final int LAST_EPHEMERAL = 60999;

    private record Key(String protocol, String hostIp, int port) {}

    private final Map<Key, Closeable> held = new HashMap<>();
    private int next = FIRST_EPHEMERAL;

    /**
     * Reserves {@code port} (0: a free one) for the protocol on the host address ("" or
     * 0.0.0.0: every address); returns the port. INTERNAL in dockerd's words when it is taken.
     */
    public synchronized int reserve(String protocol, String hostIp, int port) {
        String ip = hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        if (port != 0) {
            if (taken(protocol, ip, port)) {
                throw BerthException.internal("Bind for " + ip + ":" + port + " failed: port is already allocated");
            }
            try {
                held.put(new Key(protocol, ip, port), bind(protocol, ip, port));
            } catch (IOException e) {
                throw BerthException.internal("Error starting userland proxy: listen " + protocol + (ip.contains(":") ? "6" : "4")
                        + " " + ip + ":" + port + ": bind: address already in use");
            }
            return port;
        }
        int span = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
        for (int i = 0; i < span; i++) {
            int p = next;
            next = next == LAST_EPHEMERAL ? FIRST_EPHEMERAL : next + 1;
            if (taken(protocol, ip, p)) {
                continue;
            }
            try {
                held.put(new Key(protocol, ip, p), bind(protocol, ip, p));
                return p;
            } catch (IOException e) {
                // a program uses it: the next one
            }
        }
        throw BerthException.internal("Bind for " + ip + ":0 failed: no free port in " + FIRST_EPHEMERAL + "-" + LAST_EPHEMERAL);
    }

    /** Closes every held socket: the engine is going away (what the kernel does for a killed process). */
    public synchronized void releaseAll() {
        for (Closeable c : held.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        held.clear();
    }

    public synchronized void release(String protocol, String hostIp, int port) {
        Closeable c = held.remove(new Key(protocol, hostIp.isEmpty() ? "0.0.0.0" : hostIp, port));
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a bound socket does not fail in a way that matters
            }
        }
    }

    public synchronized boolean isReserved(String protocol, String hostIp, int port) {
        return held.containsKey(new Key(protocol, hostIp.isEmpty() ? "0.0.0.0" : hostIp, port));
    }

    /** Held by a container already: the same address, or either side is every address. */
    private boolean taken(String protocol, String ip, int port) {
        for (Key k : held.keySet()) {
            if (k.port == port && k.protocol.equals(protocol)
                    && (k.hostIp.equals(ip) || isAny(k.hostIp) || isAny(ip))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAny(String ip) {
        return ip.equals("0.0.0.0") || ip.equals("::");
    }

    private static Closeable bind(String protocol, String ip, int port) throws IOException {
        InetSocketAddress at = new InetSocketAddress(ip, port);
        if (protocol.equals("udp")) {
            DatagramSocket d = new DatagramSocket(null);
            try {
                d.bind(at);
            } catch (IOException e) {
                d.close();
                throw e;
            }
            return d;
        }
        if (protocol.equals("tcp") && at.getAddress() instanceof java.net.Inet4Address) {
            // an IPv4-only socket: Java's default one is dual-stack and would hold [::]:port as
            // well, which the [::1] proxy (Ipv6LoopbackProxy) needs for itself
            java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.INET);
            try {
                ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, false);
                ch.bind(at);
            } catch (IOException e) {
                ch.close();
                throw e instanceof BindException ? e : new BindException(e.getMessage());
            }
            return ch;
        }
        if (protocol.equals("tcp")) {
            Socket s = new Socket();
            try {
                s.setReuseAddress(false);
                s.bind(at);
            } catch (IOException e) {
                s.close();
                throw e instanceof BindException ? e : new BindException(e.getMessage());
            }
            return s;
        }
        return () -> { }; // sctp: no socket to hold from Java; the kernel mapping alone
    }
}
