package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Reads fill the buffer across small source reads; bytes before a failure are not lost. */
class FullReadsTest {
    /** Gives 3 bytes per read, 10 in all, then fails or ends. */
    private static InputStream dribble(boolean failAtEnd) {
        return new InputStream() {
            int given;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given >= 10) {
                    if (failAtEnd) {
                        throw new IOException("connection reset");
                    }
                    return -1;
                }
                int n = Math.min(3, Math.min(len, 10 - given));
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (given + i);
                }
                given += n;
                return n;
            }
        };
    }

    @Test
    void fillsTheBufferThenEnds() throws IOException {
        FullReads in = new FullReads(dribble(false));
        byte[] buf = new byte[8];
        assertThat(in.read(buf, 0, 8)).isEqualTo(8);
        assertThat(buf).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(in.read(buf, 0, 8)).isEqualTo(2);
        assertThat(in.read(buf, 0, 8)).isEqualTo(-1);
    }

    @Test
    void bytesBeforeAFailureComeFirst() throws IOException {
        FullReads in = new FullReads(dribble(true));
        byte[] buf = new byte[16];
        assertThat(in.read(buf, 0, 16)).isEqualTo(10);
        assertThatThrownBy(() -> in.read(buf, 0, 16)).isInstanceOf(IOException.class).hasMessage("connection reset");
    }
}
