package dev.berth.oci;

/**
 * The one closed set of errors in berth. Every failure that reaches a user is one of these
 * kinds; the daemon maps a kind to an HTTP status in exactly one place, and the runtime CLI
 * prints the message on one line and exits non-zero.
 *
 * <p>Messages are lower-case, name the id, path or field at fault, and carry no trailing
 * period, e.g. {@code container "web" does not exist}.
 */
public class BerthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the words. */
    public enum Kind {
        /** The named object does not exist (HTTP 404). */
        NOT_FOUND,
        /** The name or id is already taken (HTTP 409). */
        CONFLICT,
        /** The input is malformed or out of range (HTTP 400). */
        INVALID_ARGUMENT,
        /** The object is in the wrong state for the verb, e.g. start a running container (HTTP 409). */
        FAILED_PRECONDITION,
        /** Valid, but not allowed on this object, e.g. removing a predefined network (HTTP 403, dockerd's errdefs.Forbidden). */
        FORBIDDEN,
        /** A registry refused the credentials, or wants some (HTTP 401, dockerd's errdefs.Unauthorized). */
        UNAUTHORIZED,
        /** Valid, but this host or build cannot do it (HTTP 501). */
        UNSUPPORTED,
        /** The kernel or the host refused, or a bug (HTTP 500). */
        INTERNAL
    }

    private final Kind kind;

    public BerthException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BerthException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static BerthException notFound(String message) {
        return new BerthException(Kind.NOT_FOUND, message);
    }

    public static BerthException conflict(String message) {
        return new BerthException(Kind.CONFLICT, message);
    }

    public static BerthException invalid(String message) {
        return new BerthException(Kind.INVALID_ARGUMENT, message);
    }

    public static BerthException precondition(String message) {
        return new BerthException(Kind.FAILED_PRECONDITION, message);
    }

    public static BerthException forbidden(String message) {
        return new BerthException(Kind.FORBIDDEN, message);
    }

    public static BerthException unsupported(String message) {
        return new BerthException(Kind.UNSUPPORTED, message);
    }

    public static BerthException internal(String message, Throwable cause) {
        return new BerthException(Kind.INTERNAL, message, cause);
    }

    public static BerthException internal(String message) {
        return new BerthException(Kind.INTERNAL, message);
    }
}
