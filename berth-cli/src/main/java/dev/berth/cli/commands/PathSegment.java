package dev.berth.cli.commands;

import java.nio.charset.StandardCharsets;

/**
 * A name in a URL path, escaped as Go's url.PathEscape-like rules the docker client uses:
 * {@code /} and {@code :} stay (image names contain both and daemons route on them), other
 * reserved characters are percent-encoded.
 */
public final class PathSegment {
    private PathSegment() {}

    public static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~/:@+".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
