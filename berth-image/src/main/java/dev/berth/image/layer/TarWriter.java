package dev.berth.image.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a POSIX (pax) tar, hashing every byte. Written here rather than with commons-compress
 * because pax values must be raw bytes (binary xattrs such as security.capability) and the
 * output must be exactly reproducible: ustar headers, numeric owners only, a pax header only
 * when a value does not fit, two zero blocks at the end and no padding to a record size.
 */
final class TarWriter {
    static final int BLOCK = 512;
    private static final byte[] ZEROS = new byte[BLOCK * 2];

    private final OutputStream out;
    private final MessageDigest sha256;
    private final byte[] header = new byte[BLOCK];

    TarWriter(OutputStream out, MessageDigest sha256) {
        this.out = out;
        this.sha256 = sha256;
    }

    /** One entry's header fields; {@code pax} holds extra records (e.g. SCHILY.xattr.*) as raw bytes. */
    record Header(String name, byte type, int mode, long uid, long gid, long size, long mtimeSeconds,
                  String linkName, int devMajor, int devMinor, Map<String, byte[]> pax) {
    }

    void write(Header h) throws IOException {
        byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
        byte[] link = h.linkName().getBytes(StandardCharsets.UTF_8);
        java.util.TreeMap<String, byte[]> pax = new java.util.TreeMap<>(h.pax());
        if (name.length > 100 || !isAscii(name)) {
            pax.put("path", name);
        }
        if (link.length > 100 || !isAscii(link)) {
            pax.put("linkpath", link);
        }
        if (h.uid() > 07777777) {
            pax.put("uid", Long.toString(h.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (h.gid() > 07777777) {
            pax.put("gid", Long.toString(h.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (h.size() > 077777777777L) {
            pax.put("size", Long.toString(h.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (!pax.isEmpty()) {
            byte[] body = paxBody(pax);
            String paxName = "PaxHeaders/" + ascii(h.name());
            header(paxName, (byte) 'x', 0644, 0, 0, body.length, h.mtimeSeconds(), "", 0, 0);
            emit(body, 0, body.length);
            pad(body.length);
        }
        header(h.name(), h.type(), h.mode(), h.uid(), h.gid(), h.size(), h.mtimeSeconds(), h.linkName(),
                h.devMajor(), h.devMinor());
    }

    /** Entry content; the caller writes exactly the header's size, then calls {@link #pad}. */
    void content(byte[] buf, int off, int len) throws IOException {
        emit(buf, off, len);
    }

    void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            emit(ZEROS, 0, BLOCK - rest);
        }
    }

    void finish() throws IOException {
        emit(ZEROS, 0, ZEROS.length);
        out.flush();
    }

    private void header(String name, byte type, int mode, long uid, long gid, long size, long mtime,
                        String linkName, int major, int minor) throws IOException {
        Arrays.fill(header, (byte) 0);
        field(name, 0, 100);
        octal(mode, 100, 8);
        octal(Math.min(uid, 07777777), 108, 8);
        octal(Math.min(gid, 07777777), 116, 8);
        octal(Math.min(size, 077777777777L), 124, 12);
        octal(Math.max(0, Math.min(mtime, 077777777777L)), 136, 12);
        header[156] = type;
        field(linkName, 157, 100);
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
        octal(major, 329, 8);
        octal(minor, 337, 8);
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(sum, 148, 7); // six digits, NUL, and the space left from the fill
        emit(header, 0, BLOCK);
    }

    /** A name field: what fits (the pax record has the whole name). */
    private void field(String value, int off, int len) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, header, off, Math.min(len, b.length));
    }

    private void octal(long value, int off, int len) {
        String s = Long.toOctalString(value);
        int digits = len - 1;
        for (int i = 0; i < digits; i++) {
            int from = s.length() - digits + i;
            header[off + i] = (byte) (from < 0 ? '0' : s.charAt(from));
        }
        header[off + digits] = 0;
    }

    private static byte[] paxBody(Map<String, byte[]> records) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int rest = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
            int len = rest + Integer.toString(rest).length();
            if (Integer.toString(len).length() > Integer.toString(rest).length()) {
                len++;
            }
            body.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            body.write(' ');
            body.writeBytes(key);
            body.write('=');
            body.writeBytes(r.getValue());
            body.write('\n');
        }
        return body.toByteArray();
    }

    private static boolean isAscii(byte[] b) {
        for (byte c : b) {
            if (c < 0) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(String path) {
        String name = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < name.length() && s.length() < 80; i++) {
            char c = name.charAt(name.length() - 1 - i);
            if (c == '/') {
                break;
            }
            s.append(c < 0x80 ? c : '_');
        }
        return s.reverse().toString();
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        sha256.update(b, off, len);
        out.write(b, off, len);
    }
}
