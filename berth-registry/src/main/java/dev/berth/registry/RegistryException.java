package dev.berth.registry;

/**
 * Every refusal of the registry: a spec {@link ErrorCode}, a message naming the object at fault
 * ({@code blob sha256:ab… unknown to repository library/busybox}) and an optional detail that
 * goes into the error body's "detail" field as a string.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detail;

    public RegistryException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public RegistryException(ErrorCode code, String message, String detail) {
        super(message == null ? code.defaultMessage() : message);
        this.code = code;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    /** Free-form detail for the error body, or null. */
    public String detail() {
        return detail;
    }
}
