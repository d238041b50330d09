package dev.berth.registry.store;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code <reference>} of a manifest endpoint: a tag (spec.md "Pulling manifests":
 * {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}) or a digest. A reference containing ':' is a digest,
 * since a tag cannot contain one. Tags never start with '.', so they never collide with the
 * temp files of {@link dev.berth.image.io.AtomicFiles} in the tag directory.
 */
record ManifestReference(String tag, Digest digest) {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    /**
     * Parses a reference; a malformed digest is DIGEST_INVALID and a malformed tag
     * {@code invalidTag} (MANIFEST_INVALID on push, MANIFEST_UNKNOWN on pull).
     */
    static ManifestReference parse(String reference, ErrorCode invalidTag) {
        if (reference != null && reference.indexOf(':') > 0) {
            return new ManifestReference(null, digest(reference));
        }
        if (reference == null || !TAG.matcher(reference).matches()) {
            throw new RegistryException(invalidTag, "invalid tag \"" + reference + "\"");
        }
        return new ManifestReference(reference, null);
    }

    /** Whether the text is a valid tag. */
    static boolean isTag(String text) {
        return text != null && TAG.matcher(text).matches();
    }

    /** A digest from the wire; a malformed one or an unsupported algorithm is DIGEST_INVALID. */
    static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (BerthException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }

    Optional<Digest> asDigest() {
        return Optional.ofNullable(digest);
    }

    boolean isTag() {
        return tag != null;
    }

    @Override
    public String toString() {
        return tag != null ? tag : digest.toString();
    }
}
