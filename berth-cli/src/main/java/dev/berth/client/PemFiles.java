package dev.berth.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM certificates and keys (what docker and openssl write) as Java key stores. BouncyCastle
 * reads them because the JDK cannot read PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY")
 * keys, which is what most docker setups have.
 */
public final class PemFiles {
    /** The password of the in-memory key stores; they never touch the disk. */
    public static final char[] STORE_PASSWORD = "berth".toCharArray();

    private PemFiles() {}

    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : read(file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("could not read certificate " + file + ": " + e.getMessage(), e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + file);
        }
        return certs;
    }

    public static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : read(file)) {
            try {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("could not read private key " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("no private key in " + file + " (an encrypted key is not supported)");
    }

    /** A key store holding the CA certificates as trusted entries. */
    public static KeyStore trustStore(Path caFile) {
        try {
            if (!Files.exists(caFile)) {
                throw new IllegalArgumentException("could not read CA certificate \"" + caFile + "\": open " + caFile
                        + ": no such file or directory");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate cert : certificates(caFile)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("could not load " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** A key store holding the key and its certificate chain under the alias "client". */
    public static KeyStore keyStore(Path certFile, Path keyFile) {
        try {
            for (Path file : List.of(certFile, keyFile)) {
                if (!Files.exists(file)) {
                    throw new IllegalArgumentException("Could not load X509 key pair: open " + file
                            + ": no such file or directory");
                }
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            List<X509Certificate> chain = certificates(certFile);
            store.setKeyEntry("client", privateKey(keyFile), STORE_PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("could not load " + certFile + ": " + e.getMessage(), e);
        }
    }

    private static List<Object> read(Path file) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                objects.add(o);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("open " + file + ": no such file or directory", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read " + file + ": " + e.getMessage(), e);
        }
        return objects;
    }
}
