package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
    @Test
    void plainUnlessAskedForTls() {
        assertThat(TlsSettings.resolve(false, null, null, null, null, Map.of())).isNull();
        assertThat(TlsSettings.resolve(false, null, null, null, null, Map.of("DOCKER_TLS_VERIFY", ""))).isNull();
    }

    @Test
    void dockerTlsVerifyTakesFilesFromDockerCertPath() {
        TlsSettings tls = TlsSettings.resolve(false, null, null, null, null,
                Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"));
        assertThat(tls.verify()).isTrue();
        assertThat(tls.caCert()).isEqualTo(Path.of("/certs/ca.pem"));
        assertThat(tls.cert()).isEqualTo(Path.of("/certs/cert.pem"));
        assertThat(tls.key()).isEqualTo(Path.of("/certs/key.pem"));
    }

    @Test
    void flagsWinOverTheEnvironment() {
        TlsSettings tls = TlsSettings.resolve(true, false, Path.of("/a/ca"), null, Path.of("/a/k"),
                Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"));
        assertThat(tls.verify()).isFalse();
        assertThat(tls.caCert()).isEqualTo(Path.of("/a/ca"));
        assertThat(tls.cert()).isEqualTo(Path.of("/certs/cert.pem"));
        assertThat(tls.key()).isEqualTo(Path.of("/a/k"));
    }
}
