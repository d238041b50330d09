package dev.berth.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.config.HostAddress;
import dev.berth.daemon.testing.RawHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New unix-socket connections are made on the selector thread (no hand-off before the first request). */
class SelectorAcceptUnixConnectorTest {
    @TempDir
    Path dir;

    @Test
    void connectionsAreMadeOnTheSelectorAndServeAsUsual() throws Exception {
        Path socket = dir.resolve("s.sock");
        Handler hello = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, org.eclipse.jetty.util.Callback callback) {
                response.write(true, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
        try (ApiServer server = new ApiServer(List.of(HostAddress.parse("unix://" + socket, false)), null, hello).start()) {
            long before = SelectorAcceptUnixConnector.acceptedOnSelector();
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttp.call(socket, "GET", "/").text()).isEqualTo("hello");
            }
            try (RawHttp http = new RawHttp(socket)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(http.exchange("GET", "/", Map.of(), null).text()).isEqualTo("hello");
                }
            }
            // Jetty's accept task is recognised by its class name: this fails if an upgrade renamed it
            assertThat(SelectorAcceptUnixConnector.acceptedOnSelector() - before).isGreaterThanOrEqualTo(4);
        }
    }
}
