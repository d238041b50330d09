package dev.berth.registry.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes and checks the registry's tokens, both JWTs signed with one {@link TokenKey}:
 *
 * <ul>
 *   <li>access tokens, as docker's token spec: {@code iss} (the realm), {@code sub} (the user,
 *       "" when anonymous), {@code aud} (the service), {@code exp}, {@code nbf}, {@code iat},
 *       {@code jti} and {@code access} ([{type, name, actions}]); valid for the configured TTL.
 *   <li>refresh tokens (docker's "identity token", what {@code docker login} stores when the
 *       token endpoint returns one): the same registered claims, no {@code access}, and
 *       {@code berth_pwd}, a fingerprint of the user's htpasswd hash so a password change or a
 *       removed user ends them; valid for {@link #REFRESH_TTL}.
 * </ul>
 *
 * A token of one kind is never accepted as the other.
 */
final class TokenIssuer {
    static final Duration REFRESH_TTL = Duration.ofDays(30);
    private static final String REFRESH_CLAIM = "berth_pwd";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_REMEMBERED = 10_000;

    private final TokenKey key;
    private final String issuer;
    private final String service;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Remembered> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private record Remembered(Verified token, long expires, long notBefore) {
    }

    /** An access token as handed out. */
    record Issued(String token, long expiresInSeconds, Instant issuedAt) {
        @Override
        public String toString() {
            return "Issued[token=<hidden>, expiresIn=" + expiresInSeconds + "]";
        }
    }

    /** What a valid access token says. */
    record Verified(String subject, List<Access> access) {
    }

    /** What a valid refresh token says. */
    record Refresh(String subject, String passwordFingerprint) {
    }

    TokenIssuer(TokenKey key, String issuer, String service, Duration ttl, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.service = service;
        this.ttl = ttl;
        this.clock = clock;
    }

    String service() {
        return service;
    }

    Issued issueAccess(String subject, List<Access> granted) {
        Instant now = clock.instant();
        List<Object> access = new ArrayList<>();
        for (Access a : granted) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", a.type());
            entry.put("name", a.name());
            entry.put("actions", new ArrayList<Object>(new TreeSet<>(a.actions())));
            access.add(entry);
        }
        Map<String, Object> claims = registered(subject, now, ttl);
        claims.put("access", access);
        return new Issued(JsonWebToken.sign(key, claims), ttl.toSeconds(), now);
    }

    String issueRefresh(String subject, String passwordFingerprint) {
        Map<String, Object> claims = registered(subject, clock.instant(), REFRESH_TTL);
        claims.put(REFRESH_CLAIM, passwordFingerprint);
        return JsonWebToken.sign(key, claims);
    }

    /**
     * @throws InvalidTokenException for a forged, expired, foreign or refresh token
     */
    Verified verifyAccess(String token) {
        // an ECDSA check costs about a millisecond and a client sends the same token with every
        // request until it expires: remember good ones by their SHA-256 (so the map holds no token
        // and a lookup compares digests, not secrets), with the expiry checked on each use
        String key = digest(token);
        long now = clock.instant().getEpochSecond();
        Remembered r = verified.get(key);
        if (r != null) {
            if (now < r.expires() && now >= r.notBefore()) {
                return r.token();
            }
            verified.remove(key); // expired: the full check below says so
        }
        Map<String, Object> claims = verifyRegistered(token);
        Verified v = accessOf(claims);
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(key, new Remembered(v, (Long) claims.get("exp"), (Long) claims.get("nbf")));
        return v;
    }

    private static Verified accessOf(Map<String, Object> claims) {
        if (claims.containsKey(REFRESH_CLAIM) || !(claims.get("access") instanceof List<?> list)) {
            throw new InvalidTokenException("not an access token");
        }
        List<Access> access = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                    || !(m.get("name") instanceof String name) || !(m.get("actions") instanceof List<?> actions)) {
                throw new InvalidTokenException("malformed access claim");
            }
            Set<String> set = new LinkedHashSet<>();
            for (Object a : actions) {
                if (!(a instanceof String s)) {
                    throw new InvalidTokenException("malformed access claim");
                }
                set.add(s);
            }
            access.add(new Access(type, name, set));
        }
        return new Verified((String) claims.get("sub"), access);
    }

    /** @throws InvalidTokenException for a forged, expired, foreign or access token */
    Refresh verifyRefresh(String token) {
        Map<String, Object> claims = verifyRegistered(token);
        if (claims.containsKey("access") || !(claims.get(REFRESH_CLAIM) instanceof String fingerprint)) {
            throw new InvalidTokenException("not a refresh token");
        }
        return new Refresh((String) claims.get("sub"), fingerprint);
    }

    private static String digest(String token) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> registered(String subject, Instant now, Duration lifetime) {
        long seconds = now.getEpochSecond();
        byte[] jti = new byte[16];
        RANDOM.nextBytes(jti);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", service);
        claims.put("exp", seconds + lifetime.toSeconds());
        claims.put("nbf", seconds);
        claims.put("iat", seconds);
        claims.put("jti", Base64.getUrlEncoder().withoutPadding().encodeToString(jti));
        return claims;
    }

    private Map<String, Object> verifyRegistered(String token) {
        Map<String, Object> claims = JsonWebToken.verify(key, token);
        long now = clock.instant().getEpochSecond();
        if (!issuer.equals(claims.get("iss"))) {
            throw new InvalidTokenException("token from another issuer");
        }
        if (!audienceIsUs(claims.get("aud"))) {
            throw new InvalidTokenException("token for another service");
        }
        if (!(claims.get("sub") instanceof String)) {
            throw new InvalidTokenException("token without a subject");
        }
        if (!(claims.get("exp") instanceof Long exp) || !(claims.get("nbf") instanceof Long nbf)
                || !(claims.get("iat") instanceof Long)) {
            throw new InvalidTokenException("token without exp, nbf or iat");
        }
        if (now >= exp) {
            throw new InvalidTokenException("token expired");
        }
        if (now < nbf) {
            throw new InvalidTokenException("token not valid yet");
        }
        return claims;
    }

    private boolean audienceIsUs(Object aud) {
        if (aud instanceof String s) {
            return s.equals(service);
        }
        return aud instanceof List<?> list && list.contains(service);
    }
}
