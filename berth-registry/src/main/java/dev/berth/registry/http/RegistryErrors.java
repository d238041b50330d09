package dev.berth.registry.http;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;

/**
 * The one place where a failure becomes the spec's error answer: {@code {"errors":[{"code",
 * "message","detail"}]}} with the status of its {@link ErrorCode}. Failures that are not the
 * client's (a full disk, a bug) are a 500 with the code UNKNOWN, as distribution answers them.
 */
final class RegistryErrors {
    private RegistryErrors() {}

    /** What to answer: a status and the error body's one entry. */
    record Problem(int status, String code, String message, String detail) {
        Map<String, Object> body() {
            Map<String, Object> entry = JsonObjectBuilder.create()
                    .put("code", code).put("message", message).omitNull("detail", detail).build();
            return Map.of("errors", List.of(entry));
        }

        boolean serverFault() {
            return status >= 500;
        }
    }

    /**
     * Whether the client went away (reset or closed the connection mid-request): nothing to
     * answer and nothing wrong with the server, so no error log.
     */
    static boolean clientGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    static Problem of(Throwable failure) {
        if (failure instanceof RegistryException e) {
            return new Problem(e.code().status(), e.code().wire(), e.getMessage(), e.detail());
        }
        if (failure instanceof BadMessageException e) {
            // a malformed request Jetty caught while we read the body (bad chunking, too long)
            ErrorCode code = e.getCode() == 413 ? ErrorCode.SIZE_TOO_LARGE : ErrorCode.BLOB_UPLOAD_INVALID;
            return new Problem(code.status(), code.wire(), e.getMessage() == null ? code.defaultMessage() : e.getMessage(), null);
        }
        if (failure instanceof BerthException e && e.kind() == BerthException.Kind.INVALID_ARGUMENT) {
            // the OCI model's validation (a digest, a descriptor) reached us unwrapped: the client's input
            return new Problem(400, ErrorCode.MANIFEST_INVALID.wire(), e.getMessage(), null);
        }
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return new Problem(500, "UNKNOWN", "unknown error: " + message, null);
    }
}
