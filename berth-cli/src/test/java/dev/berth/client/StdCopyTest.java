package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdCopyTest {
    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void framesGoToTheirStreamsInOrder() throws IOException {
        byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        byte[] wire = concat(StdCopy.frame(1, "a".getBytes()), StdCopy.frame(2, "b".getBytes()), StdCopy.frame(1, big),
                StdCopy.frame(0, "echo".getBytes()), StdCopy.frame(1, new byte[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long n = StdCopy.demultiplex(new ByteArrayInputStream(wire), out, err);
        assertThat(n).isEqualTo(1 + 1 + 100_000 + 4);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a" + "x".repeat(100_000) + "echo");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("b");
    }

    @Test
    void aStream3FrameIsTheDaemonsError() {
        byte[] wire = concat(StdCopy.frame(1, "ok".getBytes()), StdCopy.frame(3, "container gone".getBytes()));
        assertThatThrownBy(() -> StdCopy.demultiplex(new ByteArrayInputStream(wire), new ByteArrayOutputStream(),
                new ByteArrayOutputStream())).isInstanceOf(StdCopy.StreamError.class)
                .hasMessage("error from daemon in stream: container gone");
    }

    @Test
    void brokenFramesAreErrors() {
        assertThatThrownBy(() -> StdCopy.demultiplex(new ByteArrayInputStream(StdCopy.frame(7, "x".getBytes())),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())).hasMessage("Unrecognized input header: 7");
        byte[] cut = java.util.Arrays.copyOf(StdCopy.frame(1, "abcdef".getBytes()), 10);
        assertThatThrownBy(() -> StdCopy.demultiplex(new ByteArrayInputStream(cut), new ByteArrayOutputStream(),
                new ByteArrayOutputStream())).hasMessageContaining("unexpected EOF");
    }
}
