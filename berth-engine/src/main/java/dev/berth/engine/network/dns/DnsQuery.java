package dev.berth.engine.network.dns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One DNS query as a client sends it (RFC 1035 section 4.1): the header, its single question and
 * the client's EDNS payload size (RFC 6891 section 6.2.3) when it sent an OPT record. Only what
 * the embedded server needs; the raw packet is kept so a forwarded query goes out byte for byte.
 *
 * @param id the client's message id, echoed in the reply
 * @param opcode the header's OPCODE (0 is a standard query)
 * @param recursionDesired the RD bit, echoed in the reply
 * @param name the question's name in lower case, labels joined by dots, no trailing dot ("" for
 *     the root); empty when a label holds a dot, a space or a byte outside printable ASCII, which
 *     no container name or alias has: such names are only forwarded
 * @param type QTYPE (1 = A, 28 = AAAA)
 * @param qclass QCLASS (1 = IN)
 * @param question the question section as the client wrote it (case kept, for the reply)
 * @param ednsPayload the UDP payload size the client's OPT record announces, 0 without one
 * @param packet the whole query as received
 */
public record DnsQuery(
        int id,
        int opcode,
        boolean recursionDesired,
        Optional<String> name,
        int type,
        int qclass,
        byte[] question,
        int ednsPayload,
        byte[] packet) {

    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_OPT = 41;
    public static final int CLASS_IN = 1;
    static final int HEADER_SIZE = 12;
    /** RFC 1035 section 2.3.4, counting the length bytes and the root's zero byte. */
    private static final int MAX_NAME_LENGTH = 255;
    private static final int PLAIN = 0;
    private static final int OTHER = 1;
    private static final int MALFORMED = 2;

    public DnsQuery {
        question = question.clone();
        packet = packet.clone();
    }

    @Override
    public byte[] question() {
        return question.clone();
    }

    @Override
    public byte[] packet() {
        return packet.clone();
    }

    /** Is this an A or AAAA question in class IN, the ones the directory answers? */
    public boolean asksForAddress() {
        return qclass == CLASS_IN && (type == TYPE_A || type == TYPE_AAAA) && opcode == 0;
    }

    /** Is this a PTR question in class IN, the ones a {@link DnsReverseDirectory} answers? */
    public boolean asksForPointer() {
        return qclass == CLASS_IN && type == TYPE_PTR && opcode == 0;
    }

    /**
     * The query in {@code packet}, or empty when it is not one a server should answer: shorter
     * than a header, a response (QR set: answering those invites loops), not exactly one
     * question, answer or authority records present, a name that runs past the packet, uses a
     * compression pointer or is longer than 255 bytes, or an additional section that does not
     * parse. Such packets are dropped, never answered.
     */
    public static Optional<DnsQuery> parse(byte[] packet, int length) {
        if (length < HEADER_SIZE || length > packet.length) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
        int id = Short.toUnsignedInt(in.getShort());
        int flags = Short.toUnsignedInt(in.getShort());
        int qdcount = Short.toUnsignedInt(in.getShort());
        int ancount = Short.toUnsignedInt(in.getShort());
        int nscount = Short.toUnsignedInt(in.getShort());
        int arcount = Short.toUnsignedInt(in.getShort());
        boolean response = (flags & 0x8000) != 0;
        if (response || qdcount != 1 || ancount != 0 || nscount != 0) {
            return Optional.empty();
        }
        int questionStart = in.position();
        StringBuilder name = new StringBuilder();
        int nameKind = readQuestionName(in, name);
        if (nameKind == MALFORMED || in.remaining() < 4) {
            return Optional.empty();
        }
        int type = Short.toUnsignedInt(in.getShort());
        int qclass = Short.toUnsignedInt(in.getShort());
        byte[] question = Arrays.copyOfRange(packet, questionStart, in.position());
        int edns = 0;
        for (int i = 0; i < arcount; i++) {
            int payload = readAdditional(in);
            if (payload < 0) {
                return Optional.empty();
            }
            edns = Math.max(edns, payload);
        }
        Optional<String> lookupName = nameKind == PLAIN ? Optional.of(name.toString().toLowerCase(Locale.ROOT)) : Optional.empty();
        return Optional.of(new DnsQuery(
                id,
                (flags >> 11) & 0xF,
                (flags & 0x0100) != 0,
                lookupName,
                type,
                qclass,
                question,
                edns,
                Arrays.copyOf(packet, length)));
    }

    /**
     * Reads the question's name into {@code out}; returns {@link #PLAIN}, {@link #OTHER} (a name
     * the directory cannot hold, still forwarded) or {@link #MALFORMED} (dropped). A status rather
     * than an exception: malformed packets are the common case under a flood and cost nothing so.
     */
    private static int readQuestionName(ByteBuffer in, StringBuilder out) {
        int kind = PLAIN;
        int total = 0;
        while (true) {
            if (!in.hasRemaining()) {
                return MALFORMED;
            }
            int len = Byte.toUnsignedInt(in.get());
            if (len == 0) {
                return kind;
            }
            // 0xC0 is a compression pointer, 0x40 and 0x80 are reserved label types: a stub's
            // question never has them (there is nothing earlier to point at).
            if ((len & 0xC0) != 0 || in.remaining() < len || (total += len + 1) >= MAX_NAME_LENGTH) {
                return MALFORMED;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            byte[] label = new byte[len];
            in.get(label);
            for (byte b : label) {
                if (b <= 0x20 || b >= 0x7F || b == '.') {
                    kind = OTHER;
                }
            }
            out.append(new String(label, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Reads one additional record; returns the OPT record's payload size, 0 for another record,
     * -1 when it does not parse. Only the root name can own an OPT record; other owners (a
     * TSIG's key name) are skipped label by label, pointers allowed.
     */
    private static int readAdditional(ByteBuffer in) {
        int total = 0;
        while (true) {
            if (!in.hasRemaining()) {
                return -1;
            }
            int len = Byte.toUnsignedInt(in.get());
            if (len == 0) {
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                if (!in.hasRemaining()) {
                    return -1;
                }
                in.get();
                break;
            }
            if ((len & 0xC0) != 0 || in.remaining() < len || (total += len + 1) >= MAX_NAME_LENGTH) {
                return -1;
            }
            in.position(in.position() + len);
        }
        if (in.remaining() < 10) {
            return -1;
        }
        int type = Short.toUnsignedInt(in.getShort());
        int rclass = Short.toUnsignedInt(in.getShort());
        in.getInt(); // TTL: for OPT, the extended rcode and flags
        int rdlength = Short.toUnsignedInt(in.getShort());
        if (in.remaining() < rdlength) {
            return -1;
        }
        in.position(in.position() + rdlength);
        return type == TYPE_OPT ? Math.max(rclass, 1) : 0;
    }
}
