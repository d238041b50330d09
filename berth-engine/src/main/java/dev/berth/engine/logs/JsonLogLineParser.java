package dev.berth.engine.logs;

import dev.berth.oci.image.ImageConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads back the lines {@link JsonLogLine} writes ({@code {"log":"…","stream":"stdout","time":"…"}})
 * straight from their bytes: the string's escapes undone into the line's bytes, the time parsed
 * once per distinct text (the lines of one read share it). A line of any other shape (keys in
 * another order, docker's "attrs", a torn write) is not this parser's: {@link #parse} returns
 * empty and the caller falls back to the JSON parser. {@code docker logs} of a log of millions of
 * short lines spent most of its time in a JSON tree and a time parse per line.
 * Not thread-safe: one per reader.
 */
final class JsonLogLineParser {
    private static final byte[] OPEN = "{\"log\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM = "\",\"stream\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDOUT = "stdout".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDERR = "stderr".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = "\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);

    private byte[] out = new byte[256];
    private int len;
    private byte[] lastTimeText = new byte[0];
    private Instant lastTime = Instant.EPOCH;

    /** The entry of buf[from, to) (no newline), or empty when the line is not in our writer's shape. */
    Optional<LogEntry> parse(byte[] buf, int from, int to) {
        if (!startsWith(buf, from, to, OPEN)) {
            return Optional.empty();
        }
        len = 0;
        int i = from + OPEN.length;
        while (true) {
            if (i >= to) {
                return Optional.empty();
            }
            byte b = buf[i];
            if (b == '"') {
                break;
            }
            if (b != '\\') {
                int run = i;
                while (run < to && buf[run] != '"' && buf[run] != '\\') {
                    run++;
                }
                append(buf, i, run - i);
                i = run;
                continue;
            }
            if (i + 1 >= to) {
                return Optional.empty();
            }
            byte e = buf[i + 1];
            i += 2;
            switch (e) {
                case '"', '\\', '/' -> put(e);
                case 'n' -> put((byte) '\n');
                case 'r' -> put((byte) '\r');
                case 't' -> put((byte) '\t');
                case 'b' -> put((byte) '\b');
                case 'f' -> put((byte) '\f');
                case 'u' -> {
                    int c = hex4(buf, i, to);
                    if (c < 0) {
                        return Optional.empty();
                    }
                    i += 4;
                    if (Character.isHighSurrogate((char) c) && i + 1 < to && buf[i] == '\\' && buf[i + 1] == 'u') {
                        int low = hex4(buf, i + 2, to);
                        if (low >= 0 && Character.isLowSurrogate((char) low)) {
                            c = Character.toCodePoint((char) c, (char) low);
                            i += 6;
                        }
                    }
                    if (Character.isSurrogate((char) c) && c < 0x10000) {
                        c = 0xfffd; // a lone half of a pair, as Go's decoder reads it
                    }
                    putCodePoint(c);
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (!startsWith(buf, i, to, STREAM)) { // STREAM starts with the string's closing quote
            return Optional.empty();
        }
        i += STREAM.length;
        LogEntry.Stream stream;
        if (startsWith(buf, i, to, STDOUT)) {
            stream = LogEntry.Stream.STDOUT;
        } else if (startsWith(buf, i, to, STDERR)) {
            stream = LogEntry.Stream.STDERR;
        } else {
            return Optional.empty();
        }
        i += 6;
        if (!startsWith(buf, i, to, TIME)) {
            return Optional.empty();
        }
        i += TIME.length;
        int timeStart = i;
        while (i < to && buf[i] != '"') {
            i++;
        }
        if (i >= to || to - i != CLOSE.length || !startsWith(buf, i, to, CLOSE)) {
            return Optional.empty();
        }
        Optional<Instant> time = time(buf, timeStart, i);
        if (time.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LogEntry(stream, Arrays.copyOf(out, len), time.get()));
    }

    private Optional<Instant> time(byte[] buf, int from, int to) {
        if (Arrays.equals(buf, from, to, lastTimeText, 0, lastTimeText.length)) {
            return Optional.of(lastTime);
        }
        Optional<Instant> t = ImageConfig.parseTime(new String(buf, from, to - from, StandardCharsets.US_ASCII));
        t.ifPresent(x -> {
            lastTime = x;
            lastTimeText = Arrays.copyOfRange(buf, from, to);
        });
        return t;
    }

    private static boolean startsWith(byte[] buf, int at, int to, byte[] prefix) {
        return to - at >= prefix.length && Arrays.equals(buf, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int hex4(byte[] buf, int at, int to) {
        if (to - at < 4) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(buf[at + k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private void putCodePoint(int c) {
        if (c < 0x80) {
            put((byte) c);
        } else if (c < 0x800) {
            put((byte) (0xc0 | c >> 6));
            put((byte) (0x80 | c & 0x3f));
        } else if (c < 0x10000) {
            put((byte) (0xe0 | c >> 12));
            put((byte) (0x80 | c >> 6 & 0x3f));
            put((byte) (0x80 | c & 0x3f));
        } else {
            put((byte) (0xf0 | c >> 18));
            put((byte) (0x80 | c >> 12 & 0x3f));
            put((byte) (0x80 | c >> 6 & 0x3f));
            put((byte) (0x80 | c & 0x3f));
        }
    }

    private void put(byte b) {
        if (len == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[len++] = b;
    }

    private void append(byte[] b, int from, int n) {
        if (len + n > out.length) {
            out = Arrays.copyOf(out, Math.max(len + n, out.length * 2));
        }
        System.arraycopy(b, from, out, len, n);
        len += n;
    }
}
