package dev.berth.engine.network.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The client side for the tests: queries as a stub resolver writes them, replies read back, UDP and TCP. */
final class DnsTestPackets {
    static final int A = 1;
    static final int MX = 15;
    static final int AAAA = 28;

    private DnsTestPackets() {}

    /** A recursive query for {@code name} (a trailing dot is fine), with an OPT record when {@code edns} > 0. */
    static byte[] query(int id, String name, int type, int edns) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeShort(id);
            out.writeShort(0x0100);
            out.writeShort(1);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(edns > 0 ? 1 : 0);
            out.write(encodeName(name));
            out.writeShort(type);
            out.writeShort(1);
            if (edns > 0) {
                out.writeByte(0);
                out.writeShort(41);
                out.writeShort(edns);
                out.writeInt(0);
                out.writeShort(0);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    static byte[] encodeName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                out.write(b.length);
                out.writeBytes(b);
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    /** A reply as the tests look at it. */
    record Reply(int id, int flags, String questionName, List<InetAddress> addresses, List<Integer> ttls, int size) {
        int rcode() {
            return flags & 0xF;
        }

        boolean truncated() {
            return (flags & 0x0200) != 0;
        }

        boolean authoritative() {
            return (flags & 0x0400) != 0;
        }
    }

    static Reply parse(byte[] packet) {
        ByteBuffer in = ByteBuffer.wrap(packet);
        int id = Short.toUnsignedInt(in.getShort());
        int flags = Short.toUnsignedInt(in.getShort());
        int qd = in.getShort();
        int an = in.getShort();
        in.getShort();
        in.getShort();
        String qname = "";
        for (int i = 0; i < qd; i++) {
            qname = readName(in);
            in.getInt();
        }
        List<InetAddress> addresses = new ArrayList<>();
        List<Integer> ttls = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            readName(in);
            int type = in.getShort();
            in.getShort();
            ttls.add(in.getInt());
            byte[] data = new byte[in.getShort()];
            in.get(data);
            if (type == A || type == AAAA) {
                try {
                    addresses.add(InetAddress.getByAddress(data));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return new Reply(id, flags, qname, addresses, ttls, packet.length);
    }

    private static String readName(ByteBuffer in) {
        StringBuilder name = new StringBuilder();
        while (true) {
            int len = Byte.toUnsignedInt(in.get());
            if (len == 0) {
                return name.toString();
            }
            if ((len & 0xC0) == 0xC0) {
                int target = ((len & 0x3F) << 8) | Byte.toUnsignedInt(in.get());
                ByteBuffer at = in.duplicate().position(target);
                if (!name.isEmpty()) {
                    name.append('.');
                }
                return name.append(readName(at)).toString();
            }
            byte[] label = new byte[len];
            in.get(label);
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(label, StandardCharsets.US_ASCII));
        }
    }

    /** Asks over UDP from {@code from}; waits at most 5 s (a test failure, not a measure). */
    static Reply udp(InetSocketAddress server, InetAddress from, byte[] query) throws IOException {
        return udp(server, from, query, 5000);
    }

    /** As {@link #udp(InetSocketAddress, InetAddress, byte[])}, waiting at most {@code waitMillis}. */
    static Reply udp(InetSocketAddress server, InetAddress from, byte[] query, int waitMillis) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            socket.setSoTimeout(waitMillis);
            socket.send(new DatagramPacket(query, query.length, server));
            byte[] buffer = new byte[65535];
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            socket.receive(in);
            return parse(java.util.Arrays.copyOf(buffer, in.getLength()));
        }
    }

    static Reply tcp(InetSocketAddress server, InetAddress from, byte[] query) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(server, 5000);
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return parse(reply);
        }
    }

    /** An answer to {@code query} with the given A records, as an upstream server writes it. */
    static byte[] answer(byte[] query, int rcode, boolean truncated, List<InetAddress> addresses) {
        ByteBuffer q = ByteBuffer.wrap(query);
        q.position(12);
        readName(q);
        int questionEnd = q.position() + 4;
        ByteBuffer out = ByteBuffer.allocate(questionEnd + addresses.size() * 16);
        out.putShort(q.getShort(0));
        out.putShort((short) (0x8180 | (truncated ? 0x0200 : 0) | rcode));
        out.putShort((short) 1);
        out.putShort((short) addresses.size());
        out.putShort((short) 0);
        out.putShort((short) 0);
        out.put(query, 12, questionEnd - 12);
        for (InetAddress a : addresses) {
            out.putShort((short) 0xC00C);
            out.putShort((short) A);
            out.putShort((short) 1);
            out.putInt(60);
            out.putShort((short) 4);
            out.put(a.getAddress());
        }
        return out.array();
    }
}
