package dev.berth.engine.logs;

import dev.berth.engine.container.ContainerJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes one json-file line, {@code {"log":"…","stream":"stdout","time":"…"}\n}, straight from
 * the line's bytes into a reusable buffer, escaped as dockerd's json-file writer does (checked
 * against dockerd 20.10's files): {@code \"} {@code \\} {@code \n} {@code \r} as short escapes,
 * every other control byte and {@code < > &} as a six-character u00xx escape, U+2028/U+2029
 * escaped too, each byte of invalid UTF-8 as the escaped U+FFFD; DEL and all other
 * characters as they are. A program printing short lines makes millions of these: going through
 * a JSON tree, a String and a formatted time per line cost most of the daemon's CPU. The time's
 * text is made once per distinct instant (the I/O loop stamps every line of one read alike).
 * Not thread-safe: one per log writer, used under its lock.
 */
final class JsonLogLine {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPEN = "{\"log\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDOUT = "\",\"stream\":\"stdout\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDERR = "\",\"stream\":\"stderr\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\"}\n".getBytes(StandardCharsets.US_ASCII);
    /** Per ASCII byte: 0 as is, 1 a short escape, 2 a u00xx escape. */
    private static final byte[] ASCII = new byte[128];

    static {
        for (int b = 0; b < 0x20; b++) {
            ASCII[b] = 2;
        }
        ASCII['<'] = 2;
        ASCII['>'] = 2;
        ASCII['&'] = 2;
        ASCII['"'] = 1;
        ASCII['\\'] = 1;
        ASCII['\n'] = 1;
        ASCII['\r'] = 1;
    }

    private byte[] buf = new byte[256];
    private int len;
    private Instant lastTime;
    private byte[] lastTimeText = new byte[0];

    /** Formats the entry; the result is {@link #bytes()}[0, {@link #length()}) until the next call. */
    void format(LogEntry e) {
        len = 0;
        byte[] line = e.line();
        ensure(OPEN.length + line.length * 6 + STDOUT.length + 40 + CLOSE.length);
        put(OPEN);
        escape(line);
        put(e.stream() == LogEntry.Stream.STDERR ? STDERR : STDOUT);
        put(timeText(e.time()));
        put(CLOSE);
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private byte[] timeText(Instant t) {
        if (t != lastTime && !t.equals(lastTime)) {
            lastTime = t;
            lastTimeText = ContainerJson.time(t).getBytes(StandardCharsets.US_ASCII);
        }
        return lastTimeText;
    }

    private void escape(byte[] s) {
        int start = 0;
        int i = 0;
        while (i < s.length) {
            int b = s[i] & 0xff;
            if (b < 0x80) {
                byte kind = ASCII[b];
                if (kind == 0) {
                    i++;
                    continue;
                }
                copy(s, start, i);
                if (kind == 1) {
                    buf[len++] = '\\';
                    buf[len++] = switch (b) {
                        case '\n' -> 'n';
                        case '\r' -> 'r';
                        default -> (byte) b;
                    };
                } else {
                    unicodeEscape(b);
                }
                start = ++i;
                continue;
            }
            int size = validUtf8(s, i);
            if (size == 0) {
                copy(s, start, i);
                unicodeEscape(0xfffd);
                start = ++i;
            } else if (size == 3 && s[i] == (byte) 0xe2 && s[i + 1] == (byte) 0x80
                    && (s[i + 2] == (byte) 0xa8 || s[i + 2] == (byte) 0xa9)) {
                copy(s, start, i);
                unicodeEscape(s[i + 2] == (byte) 0xa8 ? 0x2028 : 0x2029);
                i += 3;
                start = i;
            } else {
                i += size;
            }
        }
        copy(s, start, s.length);
    }

    /**
     * The length of the well-formed UTF-8 sequence at i (2 to 4), or 0 when the byte there does
     * not start one: Go's utf8.DecodeRune rules (no overlong forms, no surrogates, at most U+10FFFF).
     */
    static int validUtf8(byte[] s, int i) {
        int b0 = s[i] & 0xff;
        int n = s.length - i;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            return n >= 2 && cont(s[i + 1]) ? 2 : 0;
        }
        if (b0 >= 0xe0 && b0 <= 0xef) {
            if (n < 3) {
                return 0;
            }
            int b1 = s[i + 1] & 0xff;
            int lo = b0 == 0xe0 ? 0xa0 : 0x80;
            int hi = b0 == 0xed ? 0x9f : 0xbf;
            return b1 >= lo && b1 <= hi && cont(s[i + 2]) ? 3 : 0;
        }
        if (b0 >= 0xf0 && b0 <= 0xf4) {
            if (n < 4) {
                return 0;
            }
            int b1 = s[i + 1] & 0xff;
            int lo = b0 == 0xf0 ? 0x90 : 0x80;
            int hi = b0 == 0xf4 ? 0x8f : 0xbf;
            return b1 >= lo && b1 <= hi && cont(s[i + 2]) && cont(s[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    private static boolean cont(byte b) {
        return (b & 0xc0) == 0x80;
    }

    private void unicodeEscape(int c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xf];
        buf[len++] = HEX[(c >> 8) & 0xf];
        buf[len++] = HEX[(c >> 4) & 0xf];
        buf[len++] = HEX[c & 0xf];
    }

    private void copy(byte[] s, int from, int to) {
        if (to > from) {
            System.arraycopy(s, from, buf, len, to - from);
            len += to - from;
        }
    }

    private void put(byte[] b) {
        ensure(len + b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
        }
    }
}
