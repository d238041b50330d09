package dev.berth.engine.network.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The replies the embedded server writes itself (RFC 1035 section 4.1): addresses for a name
 * the directory knows, a container's name for its address, and errors. Forwarded answers never pass through here: they go back to
 * the client as the upstream server wrote them.
 */
final class DnsReply {
    static final int NOERROR = 0;
    static final int SERVFAIL = 2;
    static final int NOTIMP = 4;

    /** Docker's embedded DNS gives its container records this TTL (seconds). */
    static final int TTL = 600;
    /** What a UDP client without EDNS may receive (RFC 1035 section 4.2.1). */
    static final int UDP_PLAIN_LIMIT = 512;
    /** The payload size this server announces in its own OPT record and accepts at most over UDP. */
    static final int UDP_EDNS_LIMIT = 4096;
    /** A TCP message's length is a 16-bit field (RFC 1035 section 4.2.2). */
    static final int TCP_LIMIT = 65535;

    private static final int OPT_SIZE = 11;

    private DnsReply() {}

    /** The most bytes a UDP reply to {@code query} may have. */
    static int udpLimit(DnsQuery query) {
        return query.ednsPayload() == 0
                ? UDP_PLAIN_LIMIT
                : Math.clamp(query.ednsPayload(), UDP_PLAIN_LIMIT, UDP_EDNS_LIMIT);
    }

    /**
     * An authoritative answer with the addresses of the asked family, in the given order. When
     * they do not all fit in {@code limit} bytes, as many as fit and the TC bit: a client then
     * asks again over TCP, and one that does not (older musl) still has addresses to use.
     */
    static byte[] addresses(DnsQuery query, List<InetAddress> addresses, int limit) {
        boolean v6 = query.type() == DnsQuery.TYPE_AAAA;
        List<InetAddress> family = addresses.stream()
                .filter(a -> v6 ? a instanceof Inet6Address : a instanceof Inet4Address)
                .toList();
        int addressSize = v6 ? 16 : 4;
        int recordSize = 2 + 2 + 2 + 4 + 2 + addressSize; // name pointer, type, class, ttl, rdlength
        int fixed = DnsQuery.HEADER_SIZE + query.question().length + (query.ednsPayload() > 0 ? OPT_SIZE : 0);
        int fits = Math.max(0, (limit - fixed) / recordSize);
        int count = Math.min(family.size(), fits);
        boolean truncated = count < family.size();
        ByteBuffer out = ByteBuffer.allocate(fixed + count * recordSize);
        header(out, query, true, truncated, NOERROR, count);
        for (int i = 0; i < count; i++) {
            out.putShort((short) (0xC000 | DnsQuery.HEADER_SIZE)); // the question's name
            out.putShort((short) query.type());
            out.putShort((short) DnsQuery.CLASS_IN);
            out.putInt(TTL);
            out.putShort((short) addressSize);
            out.put(family.get(i).getAddress());
        }
        opt(out, query);
        return out.array();
    }

    /**
     * An authoritative PTR answer naming {@code host}, or empty when {@code host} is no valid
     * domain name (a label empty or over 63 bytes, over 255 bytes in all). TC and no record when
     * it does not fit {@code limit} (only with absurdly long names).
     */
    static Optional<byte[]> pointer(DnsQuery query, String host, int limit) {
        Optional<byte[]> encoded = encodeName(host);
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        byte[] rdata = encoded.get();
        int fixed = DnsQuery.HEADER_SIZE + query.question().length + (query.ednsPayload() > 0 ? OPT_SIZE : 0);
        int recordSize = 2 + 2 + 2 + 4 + 2 + rdata.length;
        boolean fits = fixed + recordSize <= limit;
        ByteBuffer out = ByteBuffer.allocate(fixed + (fits ? recordSize : 0));
        header(out, query, true, !fits, NOERROR, fits ? 1 : 0);
        if (fits) {
            out.putShort((short) (0xC000 | DnsQuery.HEADER_SIZE));
            out.putShort((short) DnsQuery.TYPE_PTR);
            out.putShort((short) DnsQuery.CLASS_IN);
            out.putInt(TTL);
            out.putShort((short) rdata.length);
            out.put(rdata);
        }
        opt(out, query);
        return Optional.of(out.array());
    }

    /** A name in wire format (RFC 1035 section 3.1), uncompressed; a trailing dot is allowed. */
    static Optional<byte[]> encodeName(String name) {
        String plain = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!plain.isEmpty()) {
            for (String label : plain.split("\\.", -1)) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                if (bytes.length == 0 || bytes.length > 63 || !StandardCharsets.US_ASCII.newEncoder().canEncode(label)) {
                    return Optional.empty();
                }
                out.write(bytes.length);
                out.writeBytes(bytes);
            }
        }
        out.write(0);
        return out.size() > 255 ? Optional.empty() : Optional.of(out.toByteArray());
    }

    /** A reply with no records and {@code rcode} (SERVFAIL when no upstream answered, NOTIMP for other opcodes). */
    static byte[] error(DnsQuery query, int rcode) {
        ByteBuffer out = ByteBuffer.allocate(
                DnsQuery.HEADER_SIZE + query.question().length + (query.ednsPayload() > 0 ? OPT_SIZE : 0));
        header(out, query, false, false, rcode, 0);
        opt(out, query);
        return out.array();
    }

    private static void header(
            ByteBuffer out, DnsQuery query, boolean authoritative, boolean truncated, int rcode, int answers) {
        int flags = 0x8000 // QR: a response
                | (query.opcode() << 11)
                | (authoritative ? 0x0400 : 0)
                | (truncated ? 0x0200 : 0)
                | (query.recursionDesired() ? 0x0100 : 0)
                | 0x0080 // RA: other names are resolved through the upstream servers
                | rcode;
        out.putShort((short) query.id());
        out.putShort((short) flags);
        out.putShort((short) 1);
        out.putShort((short) answers);
        out.putShort((short) 0);
        out.putShort((short) (query.ednsPayload() > 0 ? 1 : 0));
        out.put(query.question());
    }

    /** Answers EDNS with EDNS (RFC 6891 section 7): our payload size, version 0, no options. */
    private static void opt(ByteBuffer out, DnsQuery query) {
        if (query.ednsPayload() == 0) {
            return;
        }
        out.put((byte) 0); // the root name
        out.putShort((short) DnsQuery.TYPE_OPT);
        out.putShort((short) UDP_EDNS_LIMIT);
        out.putInt(0);
        out.putShort((short) 0);
    }
}
