package dev.berth.registry.http;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.util.regex.Pattern;

/** The spec's grammar for the last path segment: a tag or a digest. */
final class References {
    /** spec.md "Pulling manifests": a tag is at most 128 characters of this form. */
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    /** Upload session ids are ours (UUIDs); anything else cannot name one and is not a file name. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private References() {}

    static boolean isTag(String text) {
        return text != null && TAG.matcher(text).matches();
    }

    /** A digest reference looks like {@code algorithm:encoded}; a tag never has a colon. */
    static boolean looksLikeDigest(String text) {
        return text != null && text.indexOf(':') > 0;
    }

    static boolean isSessionId(String text) {
        return text != null && SESSION_ID.matcher(text).matches();
    }

    /**
     * A digest from the path or a query parameter: DIGEST_INVALID (400) when it is malformed or
     * of an algorithm this registry does not keep (only sha256 and sha512).
     */
    static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (BerthException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest \"" + text + "\": " + e.getMessage());
        }
    }
}
