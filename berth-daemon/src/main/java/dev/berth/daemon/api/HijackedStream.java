package dev.berth.daemon.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Blocking streams over a taken-over Jetty {@link EndPoint}, for a virtual thread. The two
 * directions are independent: the client may shut its write side (read returns -1) while we
 * keep writing, which is how {@code docker run} without stdin behaves; {@link #closeWrite} is
 * our half of the same.
 */
public final class HijackedStream implements AutoCloseable {
    private final EndPoint endPoint;
    private ByteBuffer early;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    HijackedStream(EndPoint endPoint, ByteBuffer early) {
        this.endPoint = endPoint;
        this.early = early;
    }

    /** The client's bytes; -1 once it has shut its write side or gone. */
    public InputStream input() {
        return input;
    }

    /** To the client; each write returns when the bytes are with the kernel. */
    public OutputStream output() {
        return output;
    }

    /** Shuts our write side (FIN), leaving the client's direction open. */
    public void closeWrite() {
        endPoint.shutdownOutput();
    }

    @Override
    public void close() {
        endPoint.close();
    }

    /** A callback to park a virtual thread on; run inline on the selector, it only completes a future. */
    private static final class Wakeup extends CompletableFuture<Void> implements Callback {
        @Override
        public void succeeded() {
            complete(null);
        }

        @Override
        public void failed(Throwable x) {
            completeExceptionally(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        void await() throws IOException {
            try {
                get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (early != null && early.hasRemaining()) {
                int n = Math.min(len, early.remaining());
                early.get(b, off, n);
                return n;
            }
            // Jetty fills a buffer in "flush mode": the data lands between limit and capacity
            ByteBuffer into = ByteBuffer.wrap(b, off, len).slice().limit(0);
            while (true) {
                int n = endPoint.fill(into);
                if (n != 0) {
                    return n < 0 ? -1 : n;
                }
                Wakeup readable = new Wakeup();
                endPoint.fillInterested(readable);
                readable.await();
            }
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            Wakeup written = new Wakeup();
            endPoint.write(written, ByteBuffer.wrap(b, off, len));
            written.await();
        }
    }
}
