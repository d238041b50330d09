package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A container's id: 64 lower-case hex digits from a secure random source, as docker makes them. */
public final class ContainerId {
    private static final Pattern FULL = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerId() {}

    public static String generate() {
        while (true) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            // docker skips ids that are all digits: a short form of one would read as a number
            if (!id.substring(0, 12).chars().allMatch(Character::isDigit)) {
                return id;
            }
        }
    }

    public static boolean isFull(String s) {
        return s != null && FULL.matcher(s).matches();
    }

    /** Validates a stored id (a directory name under containers/). */
    public static String check(String id) {
        if (!isFull(id)) {
            throw BerthException.invalid("invalid container id \"" + id + "\"");
        }
        return id;
    }

    /** The 12-digit form docker prints. */
    public static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
