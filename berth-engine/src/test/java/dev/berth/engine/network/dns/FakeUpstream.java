package dev.berth.engine.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An upstream resolver for the tests, UDP and TCP on one port of a loopback address. What it
 * answers is a function of the query and the transport (true = TCP); empty = stay silent.
 */
final class FakeUpstream implements AutoCloseable {
    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final BiFunction<byte[], Boolean, Optional<byte[]>> answers;
    private final Thread udpThread;
    private final Thread tcpThread;

    FakeUpstream(InetAddress address, BiFunction<byte[], Boolean, Optional<byte[]>> answers) throws IOException {
        this(new InetSocketAddress(address, 0), answers);
    }

    /** On a given port (53: where a resolv.conf's nameserver must be), or a free one for port 0. */
    FakeUpstream(InetSocketAddress at, BiFunction<byte[], Boolean, Optional<byte[]>> answers) throws IOException {
        this.answers = answers;
        this.udp = new DatagramSocket(at);
        this.tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(at.getAddress(), udp.getLocalPort()));
        udpThread = Thread.ofVirtual().start(this::serveUdp);
        tcpThread = Thread.ofVirtual().start(this::serveTcp);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                udp.receive(in);
                udpQueries.incrementAndGet();
                byte[] query = Arrays.copyOf(buffer, in.getLength());
                Optional<byte[]> reply = answers.apply(query, false);
                if (reply.isPresent()) {
                    udp.send(new DatagramPacket(reply.get(), reply.get().length, in.getSocketAddress()));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                tcpQueries.incrementAndGet();
                Optional<byte[]> reply = answers.apply(query, true);
                if (reply.isPresent()) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(reply.get().length);
                    out.write(reply.get());
                    out.flush();
                }
            } catch (IOException e) {
                // closed, or a client that went away
            }
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing
        }
        try {
            udpThread.join();
            tcpThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
