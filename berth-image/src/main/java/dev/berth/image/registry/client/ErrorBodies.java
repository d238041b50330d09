package dev.berth.image.registry.client;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a registry's error answer ({@code {"errors":[{"code","message","detail"}]}}, spec.md
 * "Error Codes") into a {@link RegistryError} worded as distribution's client does
 * ({@code errcode.Error.Error()}: {@code "<code lower-cased, _ as space>: <message>"}, several
 * joined with ", "); a body that is not that JSON gives the status line's words.
 */
final class ErrorBodies {
    private ErrorBodies() {
    }

    static RegistryError toError(int status, byte[] body) {
        List<String> codes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        try {
            Object tree = Json.parse(new String(body, StandardCharsets.UTF_8), "registry error");
            if (tree instanceof Map<?, ?>) {
                for (JsonObject e : JsonObject.root("registry error", tree).objectList("errors")) {
                    String code = e.string("code").orElse("UNKNOWN");
                    codes.add(code);
                    String message = e.string("message").orElse("");
                    String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
                    parts.add(message.isEmpty() ? words : words + ": " + message);
                }
            }
        } catch (BerthException | ClassCastException e) {
            // not the spec's JSON: fall through to the status words
        }
        String message = parts.isEmpty() ? statusWords(status) : String.join(", ", parts);
        return new RegistryError(kindOf(status, codes), message, status, codes);
    }

    static BerthException.Kind kindOf(int status, List<String> codes) {
        if (status == 401 || codes.contains("UNAUTHORIZED")) {
            return BerthException.Kind.UNAUTHORIZED;
        }
        if (status == 403 || codes.contains("DENIED")) {
            return BerthException.Kind.FORBIDDEN;
        }
        if (status == 404) {
            return BerthException.Kind.NOT_FOUND;
        }
        if (status == 400 || status == 413 || status == 416) {
            return BerthException.Kind.INVALID_ARGUMENT;
        }
        if (status == 405) {
            return BerthException.Kind.UNSUPPORTED;
        }
        return BerthException.Kind.INTERNAL;
    }

    /** distribution's client words for a status without a body it understands. */
    static String statusWords(int status) {
        return switch (status) {
            case 401 -> "unauthorized: authentication required";
            case 403 -> "denied: requested access to the resource is denied";
            case 404 -> "not found";
            case 429 -> "toomanyrequests: too many requests";
            default -> "received unexpected HTTP status: " + status + " " + reason(status);
        };
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Request Entity Too Large";
            case 416 -> "Requested Range Not Satisfiable";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
