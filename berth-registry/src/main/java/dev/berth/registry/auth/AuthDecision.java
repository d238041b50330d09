package dev.berth.registry.auth;

import dev.berth.registry.ErrorCode;

/** The answer to "may this request do that": granted, or refused with what to send back. */
public sealed interface AuthDecision {

    /** Go on; {@code subject} is the user name, or "" for an anonymous request that may. */
    record Granted(String subject) implements AuthDecision {
    }

    /**
     * Stop: UNAUTHORIZED (401, with {@code wwwAuthenticate} telling the client how to log in:
     * {@code Basic realm="…"} or {@code Bearer realm="…",service="…",scope="…"}) or DENIED
     * (403, a known user without the permission; {@code wwwAuthenticate} may be null).
     */
    record Refused(ErrorCode code, String message, String wwwAuthenticate) implements AuthDecision {
    }
}
