package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpClientsTest {

    @Test
    void theJdkClientIsToldToMoveLayersInBigPiecesBeforeAnyClientIsBuilt() {
        HttpClients clients = new HttpClients(null);
        assertThat(System.getProperty("jdk.httpclient.bufsize")).isEqualTo(Integer.toString(HttpClients.BUFFER_SIZE));
        RegistryEndpoint plain = new RegistryEndpoint(URI.create("http://127.0.0.1:9"), false, false);
        assertThat(clients.forEndpoint(plain)).isSameAs(clients.forEndpoint(plain));
    }
}
