package dev.berth.image.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Passes what is read on to a second stream written by its own thread: a layer's bytes are
 * hashed and written into the content store while the reading thread unpacks them, on two
 * cores instead of one after the other. At most {@value #QUEUE} chunks wait in between.
 * {@link #finish} must be called after the last read (it waits for the copy and reports its
 * failure); {@link #abort} when giving up.
 */
final class AsyncTeeInputStream extends FilterInputStream {
    private static final int QUEUE = 32;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile Throwable failure;
    private boolean ended;

    AsyncTeeInputStream(InputStream in, OutputStream copy) {
        super(in);
        writer = Thread.ofPlatform().name("berth-load-blob-writer").daemon().start(() -> {
            try {
                for (byte[] chunk; (chunk = queue.take()) != END; ) {
                    if (failure == null) {
                        copy.write(chunk);
                    }
                }
            } catch (Throwable t) {
                failure = t;
                // keep taking so that the reader never blocks on a full queue
                try {
                    while (queue.take() != END) {
                        // discarded
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            put(Arrays.copyOfRange(b, off, off + n));
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Waits for the copy to have written everything read; its failure, if any, is thrown here as
     * INTERNAL (the store failed, e.g. a full disk: not the archive's fault).
     */
    void finish() throws IOException {
        end();
        if (failure instanceof dev.berth.oci.BerthException e) {
            throw e;
        }
        if (failure != null) {
            throw dev.berth.oci.BerthException.internal("writing a blob to the content store: " + failure.getMessage(), failure);
        }
    }

    /** Stops the copy thread without reporting. */
    void abort() {
        try {
            end();
        } catch (IOException e) {
            // giving up anyway
        }
    }

    private void end() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        put(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the blob writer");
        }
    }

    private void put(byte[] chunk) throws IOException {
        if (failure != null && chunk != END) {
            return; // reported by finish
        }
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted handing bytes to the blob writer");
        }
    }
}
