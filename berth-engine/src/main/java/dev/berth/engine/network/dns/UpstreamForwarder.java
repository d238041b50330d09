package dev.berth.engine.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Asks the host's resolvers what the directory does not know. The servers are tried in their
 * resolv.conf order, each for at most the timeout; the first answer that is neither SERVFAIL nor
 * REFUSED wins (as resolvers do: another server may know better), else the last such answer,
 * else nothing (the caller answers SERVFAIL). Blocking: called on a virtual thread per query.
 */
final class UpstreamForwarder {
    private static final int RCODE_SERVFAIL = 2;
    private static final int RCODE_REFUSED = 5;

    private final int timeoutMillis;

    UpstreamForwarder(Duration timeout) {
        this.timeoutMillis = Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    }

    /**
     * The answer of the first of {@code servers} that has a good one, as the server wrote it
     * (TC bit and all), over TCP when the client asked over TCP (most often after a TC reply).
     */
    Optional<byte[]> ask(DnsQuery query, List<InetSocketAddress> servers, boolean tcp) {
        byte[] fallback = null;
        for (InetSocketAddress server : servers) {
            if (Thread.currentThread().isInterrupted()) {
                break; // the server is closing
            }
            byte[] reply;
            try {
                reply = tcp ? askTcp(server, query) : askUdp(server, query);
            } catch (IOException e) {
                continue; // unreachable, refused, timed out: the next server
            }
            if (reply == null) {
                continue;
            }
            int rcode = reply[3] & 0xF;
            if (rcode != RCODE_SERVFAIL && rcode != RCODE_REFUSED) {
                return Optional.of(reply);
            }
            fallback = reply;
        }
        return Optional.ofNullable(fallback);
    }

    /**
     * One query from a fresh socket (a random source port per query, so an off-path spoofer must
     * guess port and id), waiting until the timeout for a reply that matches it: datagrams with
     * another id or question are ignored, not taken.
     */
    private byte[] askUdp(InetSocketAddress server, DnsQuery query) throws IOException {
        byte[] packet = query.packet();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            socket.send(new DatagramPacket(packet, packet.length));
            byte[] buffer = new byte[DnsReply.TCP_LIMIT];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no reply from " + server);
                }
                socket.setSoTimeout((int) left);
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                if (matches(query, buffer, in.getLength())) {
                    return Arrays.copyOf(buffer, in.getLength());
                }
            }
        }
    }

    private byte[] askTcp(InetSocketAddress server, DnsQuery query) throws IOException {
        byte[] packet = query.packet();
        try (Socket socket = new Socket()) {
            socket.connect(server, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(packet.length);
            out.write(packet);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readUnsignedShort();
            byte[] reply = new byte[length];
            in.readFully(reply);
            return matches(query, reply, length) ? reply : null;
        }
    }

    /** A response to this very query: same id, QR set, the same question (case aside). */
    static boolean matches(DnsQuery query, byte[] reply, int length) {
        byte[] question = query.question();
        if (length < DnsQuery.HEADER_SIZE + question.length) {
            return false;
        }
        int id = ((reply[0] & 0xFF) << 8) | (reply[1] & 0xFF);
        boolean response = (reply[2] & 0x80) != 0;
        int qdcount = ((reply[4] & 0xFF) << 8) | (reply[5] & 0xFF);
        if (id != query.id() || !response || qdcount != 1) {
            return false;
        }
        for (int i = 0; i < question.length; i++) {
            if (lower(reply[DnsQuery.HEADER_SIZE + i]) != lower(question[i])) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
