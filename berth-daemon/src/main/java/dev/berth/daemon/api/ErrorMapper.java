package dev.berth.daemon.api;

import dev.berth.oci.BerthException;

/**
 * The one place where an error kind becomes an HTTP status (STYLE.md rule 5). dockerd's own
 * mapping (errdefs → status) is the model: not found 404, conflict and failed precondition 409,
 * invalid argument 400, forbidden 403, not implemented 501, the rest 500.
 */
public final class ErrorMapper {
    private ErrorMapper() {}

    public static int status(BerthException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT, FAILED_PRECONDITION -> 409;
            case INVALID_ARGUMENT -> 400;
            case FORBIDDEN -> 403;
            case UNAUTHORIZED -> 401;
            case UNSUPPORTED -> 501;
            case INTERNAL -> 500;
        };
    }

    /** The status for any failure: a BerthException's kind, otherwise 500. */
    public static int status(Throwable failure) {
        return failure instanceof BerthException e ? status(e.kind()) : 500;
    }

    /** The message a client sees: BerthException's words, otherwise the failure named by its type. */
    public static String message(Throwable failure) {
        if (failure instanceof BerthException) {
            return failure.getMessage();
        }
        String detail = failure.getMessage();
        return detail == null || detail.isBlank() ? failure.getClass().getSimpleName() : detail;
    }
}
