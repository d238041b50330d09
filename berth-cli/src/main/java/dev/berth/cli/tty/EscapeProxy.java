package dev.berth.cli.tty;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Stdin with the detach sequence watched, as docker's term.EscapeProxy: bytes that could start
 * the sequence are held back; when the whole sequence arrives the read fails with
 * {@link Detached}; when it breaks off, the held bytes go through as typed.
 */
public final class EscapeProxy extends InputStream {
    private final InputStream in;
    private final byte[] keys;
    private int matched;
    private byte[] pending = new byte[0];
    private boolean detached;

    /** The detach sequence was typed. */
    public static final class Detached extends IOException {
        private static final long serialVersionUID = 1L;

        public Detached() {
            super("read escape sequence");
        }
    }

    public EscapeProxy(InputStream in, byte[] keys) {
        this.in = in;
        this.keys = keys.clone();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending.length == 0 && detached) {
            throw new Detached();
        }
        if (pending.length > 0) {
            int n = Math.min(len, pending.length);
            System.arraycopy(pending, 0, b, off, n);
            pending = Arrays.copyOfRange(pending, n, pending.length);
            return n;
        }
        if (keys.length == 0) {
            return in.read(b, off, len);
        }
        while (true) {
            byte[] chunk = new byte[len];
            int n = in.read(chunk, 0, len);
            if (n < 0) {
                if (matched > 0) {
                    // the input ended inside a partial sequence: what was held is input after all
                    pending = Arrays.copyOf(keys, matched);
                    matched = 0;
                    return read(b, off, len);
                }
                return -1;
            }
            byte[] out = new byte[n + keys.length];
            int count = 0;
            for (int i = 0; i < n; i++) {
                byte c = chunk[i];
                if (c == keys[matched]) {
                    matched++;
                    if (matched == keys.length) {
                        // what came before the sequence is still input: it goes first
                        detached = true;
                        if (count == 0) {
                            throw new Detached();
                        }
                        break;
                    }
                    continue;
                }
                if (matched > 0) {
                    System.arraycopy(keys, 0, out, count, matched);
                    count += matched;
                    matched = 0;
                    if (c == keys[0]) {
                        matched = 1;
                        continue;
                    }
                }
                out[count++] = c;
            }
            if (count == 0) {
                continue; // all held back: wait for more
            }
            int give = Math.min(count, len);
            System.arraycopy(out, 0, b, off, give);
            if (give < count) {
                pending = Arrays.copyOfRange(out, give, count);
            }
            return give;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
