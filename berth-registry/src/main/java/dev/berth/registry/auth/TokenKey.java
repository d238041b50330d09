package dev.berth.registry.auth;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The P-256 key that signs and verifies the registry's tokens (JWS ES256, RFC 7518 §3.4), and its
 * key id, put in each token's {@code kid} header. The id is the one docker's libtrust computes
 * (SHA-256 of the DER public key, first 240 bits, base32 in colon-separated groups of four), which
 * is how distribution's registry finds a token's key among the certificates of its
 * {@code rootcertbundle}: berth's token server can then stand in front of a distribution
 * registry too. BouncyCastle only reads the PEM; signing is the JDK's.
 */
public final class TokenKey {
    private static final String CURVE = "secp256r1";

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final String kid;

    private TokenKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.kid = libtrustKeyId(publicKey);
    }

    /** A fresh key: tokens (and refresh tokens) signed with it end when the process does. */
    public static TokenKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(CURVE));
            KeyPair pair = g.generateKeyPair();
            return new TokenKey((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }

    /**
     * An EC P-256 private key from PEM ({@code EC PRIVATE KEY} as {@code openssl ecparam -genkey}
     * writes, or PKCS#8 {@code PRIVATE KEY}); the public key is computed from it.
     *
     * @throws BerthException INVALID_ARGUMENT for anything else (RSA, another curve, encrypted)
     */
    public static TokenKey load(Path pem) {
        PrivateKey key = null;
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null && key == null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw BerthException.invalid("cannot read the token key " + pem + ": " + e.getMessage());
        }
        if (key == null) {
            throw BerthException.invalid("no unencrypted private key in " + pem);
        }
        if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
            throw BerthException.invalid("the token key " + pem + " is " + key.getAlgorithm()
                    + "; ES256 tokens need an EC P-256 key (openssl ecparam -name prime256v1 -genkey -noout)");
        }
        return new TokenKey(ec, publicOf(ec));
    }

    public String kid() {
        return kid;
    }

    ECPrivateKey privateKey() {
        return privateKey;
    }

    ECPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String toString() {
        return "TokenKey[ES256, kid=" + kid + "]";
    }

    private static boolean isP256(ECParameterSpec params) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(CURVE));
            ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
            return params.getCurve().equals(p256.getCurve()) && params.getOrder().equals(p256.getOrder())
                    && params.getGenerator().equals(p256.getGenerator());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }

    private static ECPublicKey publicOf(ECPrivateKey key) {
        try {
            var q = ECNamedCurveTable.getParameterSpec(CURVE).getG().multiply(key.getS()).normalize();
            ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, key.getParams()));
        } catch (GeneralSecurityException e) {
            throw BerthException.invalid("cannot derive the public token key: " + e.getMessage());
        }
    }

    /** libtrust's key id: {@code ABCD:EFGH:…}, 12 groups, from SHA-256 of the SubjectPublicKeyInfo. */
    static String libtrustKeyId(ECPublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            String b32 = base32(java.util.Arrays.copyOf(digest, 30));
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < b32.length(); i += 4) {
                if (i > 0) {
                    id.append(':');
                }
                id.append(b32, i, i + 4);
            }
            return id.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4648 base32 of a length that needs no padding (a multiple of 5 bytes). */
    private static String base32(byte[] bytes) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        long buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((int) (buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }
}
