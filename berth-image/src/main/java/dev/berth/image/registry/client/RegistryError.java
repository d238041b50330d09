package dev.berth.image.registry.client;

import dev.berth.oci.BerthException;
import java.util.List;

/**
 * A registry answered with an error status. Carries the HTTP status and the spec's error codes
 * ({@code MANIFEST_UNKNOWN}, {@code BLOB_UNKNOWN}, …) so callers can tell cases apart; its message
 * is dockerd's rendering of the error body ({@code manifest unknown: manifest unknown}).
 */
public final class RegistryError extends BerthException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> codes;

    public RegistryError(Kind kind, String message, int status, List<String> codes) {
        super(kind, message);
        this.status = status;
        this.codes = List.copyOf(codes);
    }

    public int status() {
        return status;
    }

    /** The error codes of the body, upper case as the spec writes them; empty when the body had none. */
    public List<String> codes() {
        return codes;
    }

    public boolean hasCode(String code) {
        return codes.contains(code);
    }

    /** The same error with {@code prefix + ": "} before its message (dockerd wraps errors so). */
    public RegistryError prefixed(String prefix) {
        RegistryError e = new RegistryError(kind(), prefix + ": " + getMessage(), status, codes);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
