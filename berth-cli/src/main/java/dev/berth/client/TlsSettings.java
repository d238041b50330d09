package dev.berth.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * TLS towards the daemon as the docker CLI decides it: {@code --tlsverify} or a non-empty
 * DOCKER_TLS_VERIFY verifies the server against the CA and sends the client certificate;
 * {@code --tls} alone encrypts without verifying. Files default to ca.pem, cert.pem and key.pem
 * in DOCKER_CERT_PATH, else ~/.docker.
 *
 * @param verify  verify the server's certificate (and name) against {@code caCert}
 * @param caCert  CA certificate(s), PEM
 * @param cert    client certificate, PEM (sent when the file exists)
 * @param key     client key, PEM (PKCS#1, SEC1 or PKCS#8)
 */
public record TlsSettings(boolean verify, Path caCert, Path cert, Path key) {
    /** The directory the PEM files come from when no flag names them. */
    public static Path certDir(Map<String, String> env) {
        String dir = env.get("DOCKER_CERT_PATH");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".docker");
    }

    /**
     * The settings for flags and environment, or null for plain HTTP.
     *
     * @param tlsFlag     --tls given
     * @param verifyFlag  --tlsverify given (null: not given, so DOCKER_TLS_VERIFY decides)
     */
    public static TlsSettings resolve(boolean tlsFlag, Boolean verifyFlag, Path caFlag, Path certFlag, Path keyFlag,
            Map<String, String> env) {
        String envVerify = env.get("DOCKER_TLS_VERIFY");
        boolean verify = verifyFlag != null ? verifyFlag : envVerify != null && !envVerify.isEmpty();
        if (!verify && !tlsFlag) {
            return null;
        }
        Path dir = certDir(env);
        return new TlsSettings(verify,
                caFlag != null ? caFlag : dir.resolve("ca.pem"),
                certFlag != null ? certFlag : dir.resolve("cert.pem"),
                keyFlag != null ? keyFlag : dir.resolve("key.pem"));
    }

    /** Whether a client certificate is there to send. */
    public boolean hasClientCert() {
        return Files.isRegularFile(cert) && Files.isRegularFile(key);
    }
}
