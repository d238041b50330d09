package dev.berth.image.registry.client;

import java.time.Instant;

/**
 * An access token from a registry's token server, usable until {@code expiresAt}; a
 * {@code refreshToken} comes back when one was asked for (docker login's offline_token), and is
 * what docker stores as the identity token.
 */
record BearerToken(String token, Instant expiresAt, String refreshToken) {
    boolean isFresh(Instant now) {
        // a little margin: a token that expires while a request is in flight is refused mid-way
        return now.plusSeconds(5).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "BearerToken[expiresAt=" + expiresAt + ", secrets hidden]";
    }
}
