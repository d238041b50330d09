package dev.berth.client;

/** The daemon could not be reached at all (no socket, refused, TLS handshake failed). */
public final class ConnectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
