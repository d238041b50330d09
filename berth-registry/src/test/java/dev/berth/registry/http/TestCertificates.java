package dev.berth.registry.http;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and the certificates it signs, written as the PEM files the server reads. */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    record Issued(KeyPair keys, X509Certificate cert) {
        /** Writes {@code <name>.pem} (certificate) and {@code <name>-key.pem} (PKCS#8 key). */
        void write(Path dir, String name) throws IOException {
            pem(dir.resolve(name + ".pem"), cert);
            pem(dir.resolve(name + "-key.pem"), new JcaPKCS8Generator(keys.getPrivate(), null));
        }
    }

    private TestCertificates() {}

    /** A CA when {@code signer} is null (self-signed), else a leaf it signs; {@code ip} goes into the SAN. */
    static Issued issue(String cn, Issued signer, String ip) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair keys = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + cn);
        X500Name issuer = signer == null ? subject : new X500Name(signer.cert().getSubjectX500Principal().getName());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(signer == null));
        if (ip != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
        }
        KeyPair signing = signer == null ? keys : signer.keys();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signing.getPrivate())));
        return new Issued(keys, cert);
    }

    static void pem(Path file, Object object) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
    }
}
