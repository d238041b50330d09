package dev.berth.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password from an {@code Authorization: Basic …} header (RFC 7617). The password
 * stays raw bytes, as bcrypt hashes bytes; it is never printed.
 */
record BasicCredentials(String user, byte[] password) {
    private static final int MAX_HEADER = 8192;

    /** The credentials of a Basic header; empty for another scheme or a malformed one. */
    static Optional<BasicCredentials> fromHeader(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER) {
            return Optional.empty();
        }
        String h = authorization.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(h.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        return Optional.of(new BasicCredentials(user, Arrays.copyOfRange(decoded, colon + 1, decoded.length)));
    }

    /**
     * Whether the header says no more than "nobody": absent, blank, or Basic with an empty name
     * and password ({@code Basic Og==}), which skopeo and other containers/image clients send
     * when they have no credentials. Such requests are anonymous, not failed logins.
     */
    static boolean isAnonymous(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return true;
        }
        String h = authorization.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(h.substring(6).strip());
            return decoded.length == 1 && decoded[0] == ':';
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the header uses the Bearer scheme. */
    static boolean isBearer(String authorization) {
        return authorization != null && authorization.strip().regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BasicCredentials c && c.user.equals(user) && java.security.MessageDigest.isEqual(c.password, password);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=<hidden>]";
    }
}
