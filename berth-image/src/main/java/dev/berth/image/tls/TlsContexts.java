package dev.berth.image.tls;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * SSLContexts from the PEM files dockerd takes (--tlscert, --tlskey, --tlscacert). BouncyCastle
 * only parses the PEM; keys and certificates become ordinary JCA objects and the JDK's own TLS
 * does the rest (no BouncyCastle provider is installed).
 */
public final class TlsContexts {
    private static final char[] IN_MEMORY = new char[0];

    private TlsContexts() {}

    /**
     * The server's context: its certificate chain and key, and when {@code caOrNull} is given,
     * a trust store of those CAs to verify client certificates with.
     */
    public static SSLContext server(Path cert, Path key, Path caOrNull) {
        try {
            KeyManager[] keyManagers = keyManagers(cert, key);
            TrustManagerFactory tmf = null;
            if (caOrNull != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore(caOrNull));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw BerthException.invalid("could not load TLS certificate " + cert + " and key " + key + ": " + e.getMessage());
        }
    }

    /** Key managers holding the certificate chain of {@code cert} and the private key of {@code key}. */
    public static KeyManager[] keyManagers(Path cert, Path key) throws GeneralSecurityException, IOException {
        List<X509Certificate> chain = certificates(cert);
        if (chain.isEmpty()) {
            throw BerthException.invalid("no certificate in " + cert);
        }
        PrivateKey privateKey = privateKey(key);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("berthd", privateKey, IN_MEMORY, chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, IN_MEMORY);
        return kmf.getKeyManagers();
    }

    /** A client's context (tests and tools): its certificate and key, trusting {@code ca}. */
    public static SSLContext client(Path cert, Path key, Path ca) {
        return server(cert, key, ca);
    }

    public static KeyStore trustStore(Path ca) throws GeneralSecurityException, IOException {
        List<X509Certificate> cas = certificates(ca);
        if (cas.isEmpty()) {
            throw BerthException.invalid("no CA certificate in " + ca);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca-" + i, cas.get(i));
        }
        return trust;
    }

    static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        }
        return certs;
    }

    static PrivateKey privateKey(Path pem) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) { // "RSA/EC PRIVATE KEY" (traditional OpenSSL)
                    // the private half only: an EC key written without its public point has none
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) { // "PRIVATE KEY" (PKCS#8)
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw BerthException.invalid("no unencrypted private key in " + pem);
    }
}
