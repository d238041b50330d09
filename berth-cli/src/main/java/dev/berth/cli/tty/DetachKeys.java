package dev.berth.cli.tty;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * The detach sequence, written as docker writes it: comma-separated keys, each one character or
 * {@code ctrl-<a-z @ [ \ ] ^ _>}. The default is ctrl-p,ctrl-q.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";
    private static final String CONTROLS = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    private DetachKeys() {}

    /**
     * The bytes of a sequence.
     *
     * @throws IllegalArgumentException {@code Unknown character: 'x'} as docker's term.ToBytes says it
     */
    public static byte[] parse(String keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : keys.split(",", -1)) {
            if (key.length() == 1) {
                out.write(key.charAt(0));
                continue;
            }
            String lower = key.toLowerCase(Locale.ROOT);
            int code = lower.length() == 6 && lower.startsWith("ctrl-") ? CONTROLS.indexOf(lower.charAt(5)) : -1;
            if (code < 0) {
                throw new IllegalArgumentException("Unknown character: '" + key + "'");
            }
            out.write(code);
        }
        return out.toByteArray();
    }

    /** The bytes for {@code keys}, or the default's when {@code keys} is empty or not valid (docker warns and goes on). */
    public static byte[] orDefault(String keys) {
        if (keys == null || keys.isEmpty()) {
            return parse(DEFAULT);
        }
        try {
            return parse(keys);
        } catch (IllegalArgumentException e) {
            return parse(DEFAULT);
        }
    }
}
