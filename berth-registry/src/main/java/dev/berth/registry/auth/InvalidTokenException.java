package dev.berth.registry.auth;

/** A token that is malformed, forged, expired or meant for something else; the message says which. */
final class InvalidTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
        super(message);
    }
}
