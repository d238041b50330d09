package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.tls.TlsContexts;
import dev.berth.registry.auth.RegistryAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over TLS, with and without client certificates required. */
class TlsServerTest {
    @TempDir
    Path dir;

    @BeforeEach
    void certificates() throws Exception {
        TestCertificates.Issued ca = TestCertificates.issue("registry test CA", null, null);
        TestCertificates.pem(dir.resolve("ca.pem"), ca.cert());
        TestCertificates.issue("registry", ca, "127.0.0.1").write(dir, "server");
        TestCertificates.issue("client", ca, null).write(dir, "client");
        TestCertificates.Issued otherCa = TestCertificates.issue("other CA", null, null);
        TestCertificates.issue("stranger", otherCa, null).write(dir, "stranger");
    }

    private RegistryServer start(boolean verifyClients) {
        RegistryServer.Tls tls = new RegistryServer.Tls(TlsContexts.server(dir.resolve("server.pem"), dir.resolve("server-key.pem"),
                verifyClients ? dir.resolve("ca.pem") : null), verifyClients);
        return new RegistryServer("127.0.0.1", 0, tls,
                new RegistryHandler(new InMemoryRegistryStore(dir), RegistryAuth.open(), ServerLimits.defaults())).start();
    }

    private SSLContext trustingCaOnly() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = TlsContexts.trustStore(dir.resolve("ca.pem"));
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static int get(SSLContext context, String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    void servesHttps() throws Exception {
        try (RegistryServer server = start(false)) {
            assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");
            assertThat(get(trustingCaOnly(), server.baseUrl() + "/v2/")).isEqualTo(200);
        }
    }

    @Test
    void clientCertificatesFromTheCaOnlyWhenVerifying() throws Exception {
        try (RegistryServer server = start(true)) {
            SSLContext client = TlsContexts.client(dir.resolve("client.pem"), dir.resolve("client-key.pem"), dir.resolve("ca.pem"));
            assertThat(get(client, server.baseUrl() + "/v2/")).isEqualTo(200);
            assertThatThrownBy(() -> get(trustingCaOnly(), server.baseUrl() + "/v2/")).isInstanceOf(IOException.class);
            SSLContext stranger = TlsContexts.client(dir.resolve("stranger.pem"), dir.resolve("stranger-key.pem"), dir.resolve("ca.pem"));
            assertThatThrownBy(() -> get(stranger, server.baseUrl() + "/v2/")).isInstanceOf(IOException.class);
        }
    }
}
