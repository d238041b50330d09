package dev.berth.daemon.container;

import dev.berth.oci.BerthException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * A detach key sequence ({@code --detach-keys}, docker's {@code term.ToBytes}): comma-separated
 * keys, each a single character, {@code ctrl-@}, {@code ctrl-a} … {@code ctrl-z}, {@code ctrl-[},
 * {@code ctrl-\}, {@code ctrl-]}, {@code ctrl-^}, {@code ctrl-_}, or {@code DEL}. The default is
 * ctrl-p,ctrl-q.
 */
public record DetachKeys(byte[] bytes) {
    public static final DetachKeys DEFAULT = new DetachKeys(new byte[] {16, 17});
    private static final String CONTROLS = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    public DetachKeys {
        bytes = bytes.clone();
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a detach sequence has at least one key");
        }
    }

    /** The keys in {@code text}; empty text means the default. Empty when they do not parse. */
    public static Optional<DetachKeys> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.of(DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : text.split(",", -1)) {
            if (key.length() == 1) {
                out.write(key.charAt(0));
            } else if (key.equals("DEL")) {
                out.write(127);
            } else if (key.length() == 6 && key.startsWith("ctrl-") && CONTROLS.indexOf(key.charAt(5)) >= 0) {
                out.write(CONTROLS.indexOf(key.charAt(5)));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new DetachKeys(out.toByteArray()));
    }

    /** parse, with dockerd's attach error for keys that do not. */
    public static DetachKeys forAttach(String text) {
        return parse(text).orElseThrow(() -> BerthException.invalid("Invalid detach keys (" + text + ") provided"));
    }

    /** parse, with dockerd's exec error for keys that do not. */
    public static DetachKeys forExec(String text) {
        return parse(text).orElseThrow(() -> BerthException.invalid("Invalid escape keys (" + text + ") provided"));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetachKeys k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "DetachKeys" + Arrays.toString(bytes);
    }

    /**
     * Watches a stream of typed bytes for the sequence, as docker's escape proxy does: bytes that
     * may start the sequence are held back; when the sequence is complete the user has detached,
     * and when it breaks off the held bytes are passed on after all.
     */
    public Scanner scanner() {
        return new Scanner();
    }

    public final class Scanner {
        private int matched;

        /** Bytes to pass on for {@code in[off..off+len)}, or empty when the sequence completed (detach). */
        public Optional<byte[]> feed(byte[] in, int off, int len) {
            ByteArrayOutputStream pass = new ByteArrayOutputStream(len + matched);
            for (int i = off; i < off + len; i++) {
                byte b = in[i];
                if (b == bytes[matched]) {
                    matched++;
                    if (matched == bytes.length) {
                        return Optional.empty();
                    }
                    continue;
                }
                // the held prefix was not the sequence after all: pass it on, then look at b afresh
                // (a held prefix means the sequence is two keys or more, so b may start it again)
                pass.write(bytes, 0, matched);
                matched = 0;
                if (b == bytes[0]) {
                    matched = 1;
                } else {
                    pass.write(b);
                }
            }
            return Optional.of(pass.toByteArray());
        }
    }
}
