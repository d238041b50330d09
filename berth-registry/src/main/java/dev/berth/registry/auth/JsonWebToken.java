package dev.berth.registry.auth;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compact JWS with ES256 only (RFC 7515, RFC 7518 §3.4): the signature is R‖S, 64 bytes, which
 * the JDK produces and checks as "SHA256withECDSAinP1363Format". Verification takes the
 * algorithm from our side, never from the token's header, so {@code alg: none} or an HMAC
 * "signed" with the public key cannot pass.
 */
final class JsonWebToken {
    /** Far above any token we issue; a bigger one is refused before decoding. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private JsonWebToken() {
    }

    static String sign(TokenKey key, Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        header.put("kid", key.kid());
        String signingInput = encode(Json.write(header)) + "." + encode(Json.write(claims));
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key.privateKey());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }

    /**
     * The claims of a token signed by {@code key}. Nothing in them is checked here but the
     * signature and the header; {@link TokenIssuer} checks the claims.
     */
    static Map<String, Object> verify(TokenKey key, String token) {
        if (token.length() > MAX_LENGTH) {
            throw new InvalidTokenException("token too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("malformed token");
        }
        Map<String, Object> header = object(parts[0], "header");
        if (!"ES256".equals(header.get("alg"))) {
            throw new InvalidTokenException("token algorithm is not ES256");
        }
        if (!key.kid().equals(header.get("kid"))) {
            throw new InvalidTokenException("token signed by an unknown key");
        }
        byte[] signature = decode(parts[2], "signature");
        boolean valid;
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key.publicKey());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            valid = signature.length == 64 && s.verify(signature);
        } catch (GeneralSecurityException e) {
            valid = false; // a signature the provider cannot even parse
        }
        if (!valid) {
            throw new InvalidTokenException("token signature is invalid");
        }
        return object(parts[1], "claims");
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] decode(String part, String what) {
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            throw new InvalidTokenException("malformed token " + what);
        }
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token " + what);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String part, String what) {
        Object tree;
        try {
            tree = Json.parse(new String(decode(part, what), StandardCharsets.UTF_8));
        } catch (BerthException e) {
            throw new InvalidTokenException("malformed token " + what);
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new InvalidTokenException("malformed token " + what);
        }
        return (Map<String, Object>) map;
    }
}
