package dev.berth.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads (and so decompresses) a stream on a thread of its own, a few MiB ahead of the reader, so
 * that inflating a layer and reading it from its source (a socket, a tee into the content store)
 * overlap with creating its files. dockerd gets the same overlap from running unpigz as a
 * separate process.
 */
final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 4;

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread reader;
    private volatile boolean closed;
    private Chunk current;
    private int pos;
    private boolean eof;

    /** A filled buffer; {@code length < 0} marks the end, with {@code error} when reading failed. */
    private record Chunk(byte[] data, int length, IOException error) {
    }

    ReadAhead(InputStream source) {
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        reader = new Thread(() -> fill(source), "layer-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void fill(InputStream source) {
        try {
            while (!closed) {
                byte[] buf = free.poll(1, TimeUnit.SECONDS);
                if (buf == null) {
                    continue;
                }
                int n = 0;
                int r = 0;
                while (n < buf.length && (r = source.read(buf, n, buf.length - n)) >= 0) {
                    n += r;
                }
                if (closed) {
                    return;
                }
                if (n > 0) {
                    full.put(new Chunk(buf, n, null));
                }
                if (r < 0) {
                    full.put(new Chunk(null, -1, null));
                    return;
                }
            }
        } catch (IOException e) {
            full.offer(new Chunk(null, -1, e));
        } catch (RuntimeException e) {
            full.offer(new Chunk(null, -1, new IOException(e.getMessage(), e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || pos == current.length()) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean next() throws IOException {
        if (eof) {
            return false;
        }
        if (current != null) {
            free.offer(current.data());
            current = null;
        }
        Chunk c;
        try {
            c = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the layer");
        }
        if (c.length() < 0) {
            eof = true;
            if (c.error() != null) {
                throw c.error();
            }
            return false;
        }
        current = c;
        pos = 0;
        return true;
    }

    /**
     * Stops the reading thread after the read it is in, and waits for that (a while), so the caller
     * may use the source again, e.g. move on in an outer archive. The source stays open: it is the
     * caller's, and interrupting the thread could close an interruptible channel under it.
     */
    @Override
    public void close() {
        closed = true;
        full.clear();
        free.offer(new byte[0]); // wakes a reader waiting for a buffer; it sees closed and stops
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
