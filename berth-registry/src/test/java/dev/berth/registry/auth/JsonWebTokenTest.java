package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonWebTokenTest {
    private static final TokenKey KEY = TokenKey.generate();

    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signedClaimsVerifyAndTheHeaderNamesTheKey() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        String token = JsonWebToken.sign(KEY, claims);
        assertThat(JsonWebToken.verify(KEY, token)).containsEntry("sub", "alice");
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"ES256\"").contains("\"kid\":\"" + KEY.kid() + "\"");
        assertThat(Base64.getUrlDecoder().decode(token.split("\\.")[2])).hasSize(64);
    }

    @Test
    void theKeyIdIsLibtrusts() {
        // 240 bits of SHA-256 in base32: 48 characters in 12 groups of four
        assertThat(KEY.kid()).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
        assertThat(TokenKey.generate().kid()).isNotEqualTo(KEY.kid());
    }

    @Test
    void aChangedPayloadFailsTheSignature() {
        String token = JsonWebToken.sign(KEY, Map.of("sub", "alice"));
        String[] p = token.split("\\.");
        String forged = p[0] + "." + b64("{\"sub\":\"admin\"}") + "." + p[2];
        assertThatThrownBy(() -> JsonWebToken.verify(KEY, forged))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signature");
    }

    @Test
    void anotherKeysTokenIsRefusedEvenWithOurKid() {
        TokenKey other = TokenKey.generate();
        String token = JsonWebToken.sign(other, Map.of("sub", "alice"));
        assertThatThrownBy(() -> JsonWebToken.verify(KEY, token)).hasMessageContaining("unknown key");
        String[] p = token.split("\\.");
        String relabelled = b64("{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"" + KEY.kid() + "\"}") + "." + p[1] + "." + p[2];
        assertThatThrownBy(() -> JsonWebToken.verify(KEY, relabelled)).hasMessageContaining("signature");
    }

    @Test
    void algNoneAndHmacAreRefused() {
        String claims = b64("{\"sub\":\"admin\"}");
        assertThatThrownBy(() -> JsonWebToken.verify(KEY, b64("{\"alg\":\"none\",\"kid\":\"" + KEY.kid() + "\"}") + "." + claims + "."))
                .hasMessageContaining("not ES256");
        assertThatThrownBy(() -> JsonWebToken.verify(KEY, b64("{\"alg\":\"HS256\",\"kid\":\"" + KEY.kid() + "\"}") + "." + claims + ".AAAA"))
                .hasMessageContaining("not ES256");
    }

    @Test
    void garbageIsMalformedNotACrash() {
        String good = JsonWebToken.sign(KEY, Map.of("sub", "a"));
        String[] p = good.split("\\.");
        for (String bad : new String[] {"", "a", "a.b", "a.b.c.d", "!!.!!.!!", p[0] + "." + p[1] + ".", p[0] + "." + p[1] + ".AAAA",
                p[0] + "." + p[1] + "." + p[2] + "=", b64("[]") + "." + p[1] + "." + p[2], b64("{") + "." + p[1] + "." + p[2],
                p[0] + "." + b64("\"str\"") + "." + p[2], "x".repeat(JsonWebToken.MAX_LENGTH + 1)}) {
            assertThatThrownBy(() -> JsonWebToken.verify(KEY, bad)).as(bad.length() > 80 ? "long" : bad)
                    .isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void keysLoadFromPemInBothFormsWithTheSameKid() throws Exception {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = g.generateKeyPair();
        Path traditional = dir.resolve("ec.pem");
        Files.writeString(traditional, traditionalPem(pair, "1.2.840.10045.3.1.7")); // as openssl ecparam -genkey writes
        Path pkcs8 = dir.resolve("pkcs8.pem");
        assertThat(Files.readString(traditional)).contains("BEGIN EC PRIVATE KEY");
        Files.writeString(pkcs8, pem(new JcaPKCS8Generator(pair.getPrivate(), null))); // "PRIVATE KEY"
        assertThat(Files.readString(pkcs8)).contains("BEGIN PRIVATE KEY");
        TokenKey a = TokenKey.load(traditional);
        TokenKey b = TokenKey.load(pkcs8);
        assertThat(a.kid()).isEqualTo(b.kid());
        assertThat(a.publicKey().getW()).isEqualTo(((java.security.interfaces.ECPublicKey) pair.getPublic()).getW());
        assertThat(JsonWebToken.verify(b, JsonWebToken.sign(a, Map.of("sub", "x")))).containsEntry("sub", "x");
        assertThat(a.toString()).doesNotContain(pair.getPrivate().toString());
    }

    @Test
    void rsaKeysOtherCurvesAndEmptyFilesAreRefused() throws Exception {
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path r = dir.resolve("rsa.pem");
        Files.writeString(r, pem(rsa.generateKeyPair()));
        assertThatThrownBy(() -> TokenKey.load(r)).isInstanceOf(BerthException.class).hasMessageContaining("P-256");
        var ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        Path p384 = dir.resolve("p384.pem");
        Files.writeString(p384, pem(new JcaPKCS8Generator(ec.generateKeyPair().getPrivate(), null)));
        assertThatThrownBy(() -> TokenKey.load(p384)).hasMessageContaining("P-256");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "nothing here\n");
        assertThatThrownBy(() -> TokenKey.load(empty)).hasMessageContaining("no unencrypted private key");
        assertThatThrownBy(() -> TokenKey.load(dir.resolve("missing.pem"))).hasMessageContaining("cannot read");
    }

    /** RFC 5915 "EC PRIVATE KEY" with the curve's OID and the public point, as OpenSSL writes it. */
    private static String traditionalPem(java.security.KeyPair pair, String curveOid) throws IOException {
        var priv = (java.security.interfaces.ECPrivateKey) pair.getPrivate();
        var pub = (java.security.interfaces.ECPublicKey) pair.getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        byte[] x = pub.getW().getAffineX().toByteArray();
        byte[] y = pub.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), point, 1 + 32 - Math.min(32, x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), point, 33 + 32 - Math.min(32, y.length), Math.min(32, y.length));
        var structure = new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(), new org.bouncycastle.asn1.DERBitString(point),
                new org.bouncycastle.asn1.ASN1ObjectIdentifier(curveOid));
        return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", structure.getEncoded()));
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}
