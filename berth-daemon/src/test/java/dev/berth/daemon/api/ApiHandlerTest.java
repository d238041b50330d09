package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

class ApiHandlerTest {

    @Test
    void aClientThatHungUpIsToldFromAFailureOfOurs() {
        assertThat(ApiHandler.clientLeft(new EofException("Broken pipe"))).isTrue();
        assertThat(ApiHandler.clientLeft(new UncheckedIOException(new EofException("reset")))).isTrue();
        assertThat(ApiHandler.clientLeft(new RuntimeException(new ClosedChannelException()))).isTrue();
        assertThat(ApiHandler.clientLeft(new IOException("No space left on device"))).isFalse();
        assertThat(ApiHandler.clientLeft(BerthException.internal("boom"))).isFalse();
    }
}
