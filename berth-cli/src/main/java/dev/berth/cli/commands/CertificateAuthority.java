package dev.berth.cli.commands;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small CA for the daemon's mutual TLS: ECDSA P-256 keys (the docker CLI, Go and Java all take
 * them), a CA certificate, a server certificate with the names clients dial, and a client
 * certificate. Certificates and keys come out as PEM (keys PKCS#8).
 */
final class CertificateAuthority {
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(825);

    private final SecureRandom random = new SecureRandom();
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    /** A certificate and its key. */
    record Issued(X509Certificate certificate, KeyPair keys) {}

    CertificateAuthority(String commonName) {
        this.caKeys = newKeys();
        X500Name name = new X500Name("CN=" + commonName);
        X509v3CertificateBuilder builder = builder(name, name, caKeys, CA_LIFETIME);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(caKeys.getPublic()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not make the CA certificate: " + e.getMessage(), e);
        }
        this.caCert = sign(builder, caKeys);
    }

    X509Certificate certificate() {
        return caCert;
    }

    KeyPair keys() {
        return caKeys;
    }

    /** A server certificate for the given DNS names and IP addresses. */
    Issued server(String commonName, List<String> dnsNames, List<InetAddress> addresses) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (InetAddress address : addresses) {
            names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress()));
        }
        return leaf(commonName, KeyPurposeId.id_kp_serverAuth, names);
    }

    /** A client certificate. */
    Issued client(String commonName) {
        return leaf(commonName, KeyPurposeId.id_kp_clientAuth, List.of());
    }

    private Issued leaf(String commonName, KeyPurposeId purpose, List<GeneralName> names) {
        KeyPair keys = newKeys();
        X509v3CertificateBuilder builder = builder(new X500Name(caCert.getSubjectX500Principal().getName()),
                new X500Name("CN=" + commonName), keys, LEAF_LIFETIME);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCert));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not make the certificate for " + commonName + ": " + e.getMessage(), e);
        }
        return new Issued(sign(builder, caKeys), keys);
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration lifetime) {
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(127, random);
        // a little back-dating absorbs clock skew between the machines
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(lifetime)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            var signerImpl = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signerImpl));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a certificate: " + e.getMessage(), e);
        }
    }

    private KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC key generator: " + e.getMessage(), e);
        }
    }

    /** PEM text of a certificate or a private key (PKCS#8 "PRIVATE KEY"). */
    static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof KeyPair pair) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
