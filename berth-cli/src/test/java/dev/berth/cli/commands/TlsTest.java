package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.TestCli;
import dev.berth.client.ApiClient;
import dev.berth.client.ConnectException;
import dev.berth.client.DaemonHost;
import dev.berth.client.FakeDaemon;
import dev.berth.client.FakeDaemon.Reply;
import dev.berth.client.PemFiles;
import dev.berth.client.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth tls init, and the client's mutual TLS against a server using those files. */
class TlsTest {
    @TempDir
    Path dir;

    private Path init(String... extra) {
        Path certs = dir.resolve("certs");
        String[] args = new String[4 + extra.length];
        args[0] = "tls";
        args[1] = "init";
        args[2] = "--dir";
        args[3] = certs.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        TestCli.Result result = new TestCli().run(args);
        assertThat(result.status()).as(result.err()).isZero();
        return certs;
    }

    @Test
    void writesTheFilesDockerExpectsWithPrivateKeys() throws Exception {
        Path certs = dir.resolve("certs");
        TestCli.Result result = new TestCli().run("tls", "init", "--dir", certs.toString(), "--host", "berth.example",
                "--host", "10.1.2.3", "--hostname", "vm");
        assertThat(result.status()).as(result.err()).isZero();
        for (String name : List.of("ca.pem", "server-cert.pem", "cert.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve(name)))).isEqualTo("rw-r--r--");
        }
        for (String name : List.of("ca-key.pem", "server-key.pem", "key.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve(name)))).isEqualTo("rw-------");
            assertThat(Files.readString(certs.resolve(name))).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        X509Certificate server = PemFiles.certificates(certs.resolve("server-cert.pem")).getFirst();
        assertThat(server.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("localhost", "vm", "berth.example", "127.0.0.1", "10.1.2.3");
        X509Certificate ca = PemFiles.certificates(certs.resolve("ca.pem")).getFirst();
        server.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(result.out()).contains("berthd --tlsverify --tlscacert=" + certs.resolve("ca.pem"))
                .contains("export DOCKER_HOST=tcp://berth.example:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=" + certs);
    }

    @Test
    void hostsMayBeGivenAsDaemonAddresses() {
        assertThat(TlsInitCommand.bareHost("tcp://berth.example:2376")).isEqualTo("berth.example");
        assertThat(TlsInitCommand.bareHost("[::1]:2376")).isEqualTo("::1");
        assertThat(TlsInitCommand.bareHost("fe80::1")).isEqualTo("fe80::1");
        assertThat(TlsInitCommand.bareHost("10.0.0.1")).isEqualTo("10.0.0.1");
    }

    @Test
    void refusesToOverwriteExistingFiles() throws Exception {
        Path certs = init();
        String before = Files.readString(certs.resolve("ca.pem"));
        TestCli.Result again = new TestCli().run("tls", "init", "--dir", certs.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        assertThat(Files.readString(certs.resolve("ca.pem"))).isEqualTo(before);
    }

    private static SslContextFactory.Server serverTls(Path certs) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemFiles.keyStore(certs.resolve("server-cert.pem"), certs.resolve("server-key.pem")));
        ssl.setKeyStorePassword(new String(PemFiles.STORE_PASSWORD));
        ssl.setTrustStore(PemFiles.trustStore(certs.resolve("ca.pem")));
        ssl.setNeedClientAuth(true);
        return ssl;
    }

    @Test
    void hijackedStreamsOverMutualTls() throws Exception {
        Path certs = init();
        SslContextFactory.Server ssl = serverTls(certs);
        ssl.start();
        try (dev.berth.client.RawDaemon daemon = dev.berth.client.RawDaemon.tls(ssl.getSslContext())) {
            daemon.on("POST /containers/c1/attach", (r, in, out) -> {
                dev.berth.client.RawDaemon.upgrade(out);
                byte[] stdin = in.readAllBytes(); // until the client's close_notify
                out.write(dev.berth.client.StdCopy.frame(1, ("tls " + new String(stdin)).getBytes()));
                return false;
            });
            TlsSettings tls = TlsSettings.resolve(false, true, null, null, null,
                    java.util.Map.of("DOCKER_CERT_PATH", certs.toString()));
            try (ApiClient client = ApiClient.create(DaemonHost.parse("tcp://127.0.0.1:" + daemon.port(), true), tls, null);
                    dev.berth.client.HijackedStream stream = client.hijack("/containers/c1/attach", null, null, null)) {
                stream.output().write("up".getBytes());
                stream.closeWrite();
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                dev.berth.client.StdCopy.demultiplex(stream.input(), got, got);
                assertThat(got.toString()).isEqualTo("tls up");
            }
        } finally {
            ssl.stop();
        }
    }

    @Test
    void mutualTlsWithTheGeneratedCertificates() throws Exception {
        Path certs = init();
        try (FakeDaemon daemon = FakeDaemon.tls(serverTls(certs))) {
            daemon.on("GET /v1.47/version", Reply.json(200, "{\"Version\":\"fake\"}"));
            TlsSettings tls = TlsSettings.resolve(false, true, null, null, null,
                    java.util.Map.of("DOCKER_CERT_PATH", certs.toString()));
            try (ApiClient client = ApiClient.create(DaemonHost.parse("tcp://127.0.0.1:" + daemon.port(), true), tls, null)) {
                assertThat(client.getJson("/version", null)).isEqualTo(java.util.Map.of("Version", "fake"));
            }
            // and through the command line, as DOCKER_* variables set it up
            TestCli.Result result = new TestCli().env("DOCKER_HOST", "tcp://127.0.0.1:" + daemon.port())
                    .env("DOCKER_TLS_VERIFY", "1").env("DOCKER_CERT_PATH", certs.toString())
                    .run("version", "--format", "{{.Server.Version}}");
            assertThat(result.err()).isEmpty();
            assertThat(result.out()).isEqualTo("fake\n");
        }
    }

    @Test
    void aClientWithoutItsCertificateIsTurnedAway() throws Exception {
        Path certs = init();
        try (FakeDaemon daemon = FakeDaemon.tls(serverTls(certs))) {
            TlsSettings noClientCert = new TlsSettings(false, certs.resolve("ca.pem"), dir.resolve("none.pem"),
                    dir.resolve("none-key.pem"));
            try (ApiClient client = ApiClient.create(DaemonHost.parse("tcp://127.0.0.1:" + daemon.port(), true),
                    noClientCert, null)) {
                assertThatThrownBy(() -> client.getJson("/version", null)).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void aServerFromAnotherCaIsNotTrusted() throws Exception {
        Path certs = init();
        Path other = dir.resolve("other");
        assertThat(new TestCli().run("tls", "init", "--dir", other.toString()).status()).isZero();
        try (FakeDaemon daemon = FakeDaemon.tls(serverTls(certs))) {
            TlsSettings wrongCa = new TlsSettings(true, other.resolve("ca.pem"), certs.resolve("cert.pem"),
                    certs.resolve("key.pem"));
            try (ApiClient client = ApiClient.create(DaemonHost.parse("tcp://127.0.0.1:" + daemon.port(), true),
                    wrongCa, null)) {
                assertThatThrownBy(() -> client.getJson("/version", null)).isInstanceOf(ConnectException.class)
                        .hasMessageContaining("tls");
            }
        }
    }
}
