package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    /** A body that never delivers a byte; only close() (the watchdog's) ends a blocked read. */
    private static final class Silent extends InputStream {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            throw new IOException("closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aReadThatGetsNothingTimesOutAndStaysFailed() {
        Silent silent = new Silent();
        IdleTimeout.Body body = new IdleTimeout.Body(silent, TIMEOUT, "127.0.0.1:5000");
        assertThatThrownBy(body::read).isInstanceOf(SocketTimeoutException.class)
                .hasMessage("read timeout: no data from 127.0.0.1:5000 for 100 ms");
        assertThat(silent.closed.getCount()).as("the body was closed under the read").isZero();
        assertThatThrownBy(() -> body.read(new byte[10])).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void skippingASilentBodyTimesOutToo() {
        IdleTimeout.Body body = new IdleTimeout.Body(new Silent(), TIMEOUT, "r");
        assertThatThrownBy(() -> body.skipNBytes(5)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aSlowReaderIsNotAStalledRegistry() throws Exception {
        // the time between reads is the reader's (writing, hashing), not the registry's
        IdleTimeout.Body body = new IdleTimeout.Body(new ByteArrayInputStream(new byte[] {1, 2, 3}), TIMEOUT, "r");
        assertThat(body.read()).isEqualTo(1);
        Thread.sleep(TIMEOUT.multipliedBy(3));
        assertThat(body.read()).isEqualTo(2);
        assertThat(body.skip(5)).isEqualTo(1);
        assertThat(body.read()).isEqualTo(-1);
        body.close();
    }

    @Test
    void wordsForMessages() {
        assertThat(IdleTimeout.words(Duration.ofSeconds(60))).isEqualTo("60 s");
        assertThat(IdleTimeout.words(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
