package dev.berth.image.layer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the SCHILY.xattr.* records of the last local PAX header ('x') in the raw bytes the tar
 * reader consumed before an entry, keeping values as bytes (POSIX pax allows any octets).
 */
final class PaxXattrs {
    static final String PREFIX = "SCHILY.xattr.";
    private static final int BLOCK = 512;

    private PaxXattrs() {
    }

    /**
     * @param window bytes consumed while reading one entry's headers
     * @param start  the stream offset of window[0] (headers start at multiples of 512)
     */
    static Map<String, byte[]> parse(byte[] window, long start) {
        int pos = (int) ((BLOCK - start % BLOCK) % BLOCK); // the previous entry's padding
        Map<String, byte[]> last = Map.of();
        while (pos + BLOCK <= window.length) {
            long size = size(window, pos);
            byte type = window[pos + 156];
            int dataStart = pos + BLOCK;
            if (size < 0 || dataStart + size > window.length) {
                break;
            }
            if (type == 'x') {
                last = records(window, dataStart, (int) size);
            }
            pos = dataStart + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        return last;
    }

    private static long size(byte[] b, int header) {
        int off = header + 124;
        if ((b[off] & 0x80) != 0) {
            long v = 0;
            for (int i = 1; i < 12; i++) {
                v = (v << 8) | (b[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int i = 0; i < 12; i++) {
            byte c = b[off + i];
            if (c == 0 || c == ' ') {
                if (v > 0) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    private static Map<String, byte[]> records(byte[] b, int off, int len) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int space = pos;
            int recLen = 0;
            while (space < end && b[space] >= '0' && b[space] <= '9') {
                recLen = recLen * 10 + (b[space] - '0');
                space++;
            }
            if (space >= end || b[space] != ' ' || recLen <= 0 || pos + recLen > end) {
                break;
            }
            int eq = space + 1;
            while (eq < pos + recLen && b[eq] != '=') {
                eq++;
            }
            if (eq >= pos + recLen) {
                break;
            }
            String key = new String(b, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            int valueEnd = pos + recLen - 1; // drop the record's newline
            if (key.startsWith(PREFIX)) {
                byte[] value = new byte[Math.max(0, valueEnd - eq - 1)];
                System.arraycopy(b, eq + 1, value, 0, value.length);
                out.put(key.substring(PREFIX.length()), value);
            }
            pos += recLen;
        }
        return out;
    }
}
