package dev.berth.image.archive;

import dev.berth.oci.BerthException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Passes what is read on to a second stream written by its own thread: a layer's bytes are
 * hashed and written into the content store while the reading thread unpacks them, on two
 * cores instead of one after the other. The bytes travel in {@value #BUFFERS} reused buffers of
 * {@value #BUFFER} bytes (no garbage per read, at most 8 MiB in flight). {@link #finish} must be
 * called after the last read (it waits for the copy and reports its failure); {@link #abort}
 * when giving up.
 */
final class AsyncTeeInputStream extends FilterInputStream {
    private static final int BUFFERS = 8;
    private static final int BUFFER = 1 << 20;

    /** A filled buffer on its way to the writer; length -1 ends the stream. */
    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread writer;
    private volatile Throwable failure;
    private boolean ended;

    AsyncTeeInputStream(InputStream in, OutputStream copy) {
        super(in);
        for (int i = 0; i < BUFFERS; i++) {
            empty.add(new byte[BUFFER]);
        }
        writer = Thread.ofPlatform().name("berth-load-blob-writer").daemon().start(() -> {
            try {
                for (Chunk c; (c = full.take()) != END; ) {
                    if (failure == null) {
                        try {
                            copy.write(c.bytes(), 0, c.length());
                        } catch (Throwable t) {
                            failure = t;
                        }
                    }
                    empty.put(c.bytes());
                }
            } catch (InterruptedException e) {
                failure = e;
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
        for (int at = 0; at < n; at += BUFFER) {
            int piece = Math.min(BUFFER, n - at);
            byte[] buffer = take();
            System.arraycopy(b, off + at, buffer, 0, piece);
            put(new Chunk(buffer, piece));
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
        if (failure instanceof BerthException e) {
            throw e;
        }
        if (failure != null) {
            throw BerthException.internal("writing a blob to the content store: " + failure.getMessage(), failure);
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

    private byte[] take() throws IOException {
        try {
            return empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted handing bytes to the blob writer");
        }
    }

    private void put(Chunk chunk) throws IOException {
        try {
            full.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted handing bytes to the blob writer");
        }
    }
}
