package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it: {@code algorithm:encoded}. Only the two
 * registered algorithms are accepted (sha256, sha512), with lower-case hex of the right length,
 * so a Digest is always safe to use as a file name.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        int want = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw BerthException.invalid("unsupported digest algorithm \"" + algorithm + "\"");
        };
        if (hex == null || hex.length() != want || !HEX.matcher(hex).matches()) {
            throw BerthException.invalid("invalid " + algorithm + " digest \"" + hex + "\"");
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
    public static Digest parse(String text) {
        if (text == null) {
            throw BerthException.invalid("missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw BerthException.invalid("invalid digest \"" + text + "\": want algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** True when the text is a well-formed digest (no exception). */
    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] content) {
        return of("sha256", content);
    }

    public static Digest of(String algorithm, byte[] content) {
        return new Digest(algorithm, HexFormat.of().formatHex(newHasher(algorithm).digest(content)));
    }

    /**
     * A fresh hasher for the algorithm ("sha256" or "sha512"). SHA-256 comes from the host's
     * libcrypto when it can ({@link NativeSha256}: fast whatever the JIT), else from the JDK.
     */
    public static MessageDigest newHasher(String algorithm) {
        if (algorithm.equals("sha256")) {
            MessageDigest fast = NativeSha256.createOrNull();
            if (fast != null) {
                return fast;
            }
        }
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw BerthException.invalid("unsupported digest algorithm \"" + algorithm + "\"");
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest a finished hasher produced, for the given algorithm. */
    public static Digest from(String algorithm, MessageDigest finished) {
        return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    /** The first 12 hex characters, as docker shows image ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }
}
