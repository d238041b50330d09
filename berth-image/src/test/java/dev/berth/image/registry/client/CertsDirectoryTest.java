package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.registry.TestCertificates;
import dev.berth.image.registry.TestCertificates.Issued;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd's certs.d against Debian's docker-registry serving TLS and asking for client
 * certificates: the extra CA makes a verifying client trust it, the client certificate gets in.
 */
class CertsDirectoryTest {
    static DockerRegistryProcess registry;
    static Path pki;
    static Issued ca;
    static Issued clientCa;

    @TempDir
    Path certsD;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(DockerRegistryProcess.available(), "Debian's docker-registry is not installed (scripts/install-deps.sh)");
        pki = Files.createTempDirectory("berth-regclient-pki-");
        ca = TestCertificates.ca("test registry CA");
        clientCa = TestCertificates.ca("test client CA");
        TestCertificates.leaf("registry", ca, "127.0.0.1").write(pki.resolve("server.crt"), pki.resolve("server.key"));
        clientCa.write(pki.resolve("client-ca.crt"), null);
        registry = DockerRegistryProcess.start(null, null,
                new DockerRegistryProcess.Tls(pki.resolve("server.crt"), pki.resolve("server.key"), pki.resolve("client-ca.crt")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (pki != null) {
            try (var files = Files.list(pki)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(pki);
        }
    }

    private int ping(HttpClients clients, boolean skipVerify) throws IOException, InterruptedException {
        RegistryEndpoint endpoint = new RegistryEndpoint(URI.create("https://" + registry.domain()), skipVerify, false);
        return clients.forEndpoint(endpoint).send(HttpRequest.newBuilder(endpoint.resolve("/v2/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Path hostDir() throws IOException {
        return Files.createDirectories(certsD.resolve(registry.domain()));
    }

    @Test
    void theCaOfCertsDLetsAVerifyingClientInAndTheClientCertificateIsSent() throws Exception {
        assertThatThrownBy(() -> ping(new HttpClients(certsD), false)).isInstanceOf(IOException.class); // unknown CA
        Path dir = hostDir();
        ca.write(dir.resolve("ca.crt"), null);
        // the server asks for a client certificate: without one the handshake fails
        assertThatThrownBy(() -> ping(new HttpClients(certsD), false)).isInstanceOf(IOException.class);
        TestCertificates.leaf("berth client", clientCa, null).write(dir.resolve("client.cert"), dir.resolve("client.key"));
        assertThat(ping(new HttpClients(certsD), false)).isEqualTo(200);
    }

    @Test
    void aLoopbackRegistryIsReachedOverTlsWhenItServesTls() throws Exception {
        Path dir = hostDir();
        TestCertificates.leaf("berth client", clientCa, null).write(dir.resolve("client.cert"), dir.resolve("client.key"));
        RegistryClient client = new RegistryClient(new RegistryOptions(List.of(), List.of(), certsD));
        RepositoryClient repo = client.repository(Reference.parse(registry.domain() + "/tls/x:1"), RegistryCredentials.anonymous());
        assertThat(repo.session().endpoint().base().getScheme()).isEqualTo("https"); // insecure: no verification, but TLS
        assertThat(repo.headBlob(dev.berth.oci.image.Digest.sha256(new byte[] {1}))).isEmpty();
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedAsDockerdDoes() throws Exception {
        Path dir = hostDir();
        TestCertificates.leaf("berth client", clientCa, null).write(dir.resolve("lonely.cert"), null);
        assertThatThrownBy(() -> new HttpClients(certsD).forEndpoint(
                new RegistryEndpoint(URI.create("https://" + registry.domain()), false, false)))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage())
                        .contains("missing key lonely.key for client certificate lonely.cert"));
    }
}
