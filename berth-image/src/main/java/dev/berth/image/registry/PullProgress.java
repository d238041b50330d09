package dev.berth.image.registry;

import dev.berth.image.registry.ProgressSink.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * dockerd's progress lines for one pull, serialized for the sink (several download threads
 * report at once), and a stream wrapper that reports "Downloading" as bytes arrive: at most
 * every {@value #INTERVAL_NANOS} ns per layer, as dockerd's progress reader (the CLI redraws at
 * that pace anyway), and once at the end.
 */
final class PullProgress {
    static final long INTERVAL_NANOS = 100_000_000L;

    private final ProgressSink sink;

    PullProgress(ProgressSink sink) {
        this.sink = sink;
    }

    synchronized void send(String id, String status) {
        sink.send(Progress.of(id, status));
    }

    synchronized void send(String id, String status, long current, long total) {
        sink.send(new Progress(id, status, current, total));
    }

    synchronized void line(String status) {
        sink.send(Progress.line(status));
    }

    /** {@code in}, reporting "Downloading" current/total for {@code id} as it is read. */
    InputStream downloading(String id, InputStream in, long total) {
        return new FilterInputStream(in) {
            private long current;
            private long lastReport = System.nanoTime();

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }

            private void advance(long n) {
                current += n;
                long now = System.nanoTime();
                if (now - lastReport >= INTERVAL_NANOS || current == total) {
                    lastReport = now;
                    send(id, "Downloading", current, total);
                }
            }
        };
    }
}
