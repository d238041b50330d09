package dev.berth.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.config.HostAddress;
import dev.berth.daemon.config.Option;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.image.tls.TlsContexts;
import dev.berth.oci.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP listeners: mutual TLS with certificates made here, plain TCP with its warning. */
class TlsTest {
    @TempDir
    Path dir;

    record Issued(KeyPair keys, X509Certificate cert) {}

    static Issued issue(String cn, Issued caOrNull, boolean isCa, String ip) throws Exception {
        return issue(cn, caOrNull, isCa, ip, "EC");
    }

    static Issued issue(String cn, Issued caOrNull, boolean isCa, String ip, String algorithm) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
        gen.initialize(algorithm.equals("EC") ? 256 : 2048);
        KeyPair keys = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + cn);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                caOrNull == null ? subject : new X500Name(caOrNull.cert().getSubjectX500Principal().getName()),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (ip != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
        }
        KeyPair signer = caOrNull == null ? keys : caOrNull.keys();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        return new Issued(keys, cert);
    }

    static void pem(Path file, Object... objects) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
    }

    private DaemonConfig tlsConfig(Path ca, Path cert, Path key) {
        Map<Option, Object> v = new EnumMap<>(Option.class);
        v.put(Option.HOSTS, List.of("tcp://127.0.0.1:0", "unix://" + dir.resolve("b.sock")));
        v.put(Option.DATA_ROOT, dir.resolve("data").toString());
        v.put(Option.EXEC_ROOT, dir.resolve("exec").toString());
        v.put(Option.BRIDGE, "none"); // no default bridge: see TestDaemons
        v.put(Option.TLS_VERIFY, true);
        v.put(Option.TLS_CA_CERT, ca.toString());
        v.put(Option.TLS_CERT, cert.toString());
        v.put(Option.TLS_KEY, key.toString());
        return DaemonConfig.resolve(v);
    }

    private static String ping(SSLContext context, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.startHandshake();
            socket.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n".getBytes());
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void tlsverifyRequiresAClientCertificateFromTheCa() throws Exception {
        Issued ca = issue("berth test CA", null, true, null);
        Issued server = issue("berthd", ca, false, "127.0.0.1");
        Issued client = issue("client", ca, false, null, "RSA");
        Issued stranger = issue("stranger", issue("other CA", null, true, null), false, null);
        pem(dir.resolve("ca.pem"), ca.cert());
        pem(dir.resolve("cert.pem"), server.cert());
        pem(dir.resolve("key.pem"), new JcaPKCS8Generator(server.keys().getPrivate(), null)); // PKCS#8 "PRIVATE KEY"
        pem(dir.resolve("client-cert.pem"), client.cert());
        pem(dir.resolve("client-key.pem"), client.keys()); // traditional "RSA PRIVATE KEY"
        pem(dir.resolve("stranger-cert.pem"), stranger.cert());
        pem(dir.resolve("stranger-key.pem"), new JcaPKCS8Generator(stranger.keys().getPrivate(), null));

        try (Daemon daemon = Daemon.start(tlsConfig(dir.resolve("ca.pem"), dir.resolve("cert.pem"), dir.resolve("key.pem")))) {
            int port = daemon.addresses().stream().filter(a -> !a.isUnix()).findFirst().orElseThrow().port();
            SSLContext good = TlsContexts.client(dir.resolve("client-cert.pem"), dir.resolve("client-key.pem"), dir.resolve("ca.pem"));
            assertThat(ping(good, port)).startsWith("HTTP/1.1 200").contains("Api-Version: 1.47").endsWith("OK");

            SSLContext bad = TlsContexts.client(dir.resolve("stranger-cert.pem"), dir.resolve("stranger-key.pem"), dir.resolve("ca.pem"));
            assertThatThrownBy(() -> ping(bad, port)).isInstanceOf(IOException.class);

            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TlsContexts.trustStore(dir.resolve("ca.pem")));
            SSLContext anonymous = SSLContext.getInstance("TLS");
            anonymous.init(null, tmf.getTrustManagers(), null);
            assertThatThrownBy(() -> ping(anonymous, port)).isInstanceOf(IOException.class);

            // plain HTTP on the TLS port is not served either
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
                plain.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n".getBytes());
                assertThat(new String(plain.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/1.1 200");
            }
            // the unix socket next to it needs no certificate
            assertThat(RawHttp.call(dir.resolve("b.sock"), "GET", "/_ping").text()).isEqualTo("OK");
        }
    }

    @Test
    void missingCertificatesStopTheStart() {
        assertThatThrownBy(() -> Daemon.start(tlsConfig(dir.resolve("no-ca.pem"), dir.resolve("no-cert.pem"), dir.resolve("no-key.pem"))))
                .hasMessageContaining("could not load TLS files");
        assertThat(dir.resolve("exec/berthd.pid")).doesNotExist();
    }

    @Test
    void plainTcpWorksWithAWarning() throws Exception {
        Map<Option, Object> v = new EnumMap<>(Option.class);
        v.put(Option.HOSTS, List.of("tcp://127.0.0.1:0"));
        v.put(Option.DATA_ROOT, dir.resolve("data").toString());
        v.put(Option.EXEC_ROOT, dir.resolve("exec").toString());
        v.put(Option.BRIDGE, "none"); // no default bridge: see TestDaemons
        try (Daemon daemon = Daemon.start(DaemonConfig.resolve(v))) {
            HostAddress tcp = daemon.addresses().getFirst();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
                s.getOutputStream().write("GET /info HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n".getBytes());
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                @SuppressWarnings("unchecked")
                Map<String, Object> info = (Map<String, Object>) Json.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
                assertThat(info.get("Warnings").toString()).contains("without encryption");
            }
        }
    }
}
