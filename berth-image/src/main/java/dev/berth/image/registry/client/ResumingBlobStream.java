package dev.berth.image.registry.client;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob download that resumes: when the connection drops, or the registry sends nothing for
 * the read timeout ({@link IdleTimeout}), the next read reopens the blob from the bytes received
 * so far with a Range request (spec.md: registries SHOULD support Range on blob GET; one that
 * does not is skipped forward), up to {@code maxRetries} times in a row without a byte received.
 * Verifying the digest is the reader's job.
 */
final class ResumingBlobStream extends InputStream {
    private final RepositoryClient repository;
    private final Digest digest;
    private final int maxRetries;
    private InputStream current;
    private long offset;
    private long size = -1;
    private int failuresInARow;
    private boolean closed;
    private IOException gaveUp; // once given up, every read says why (no more requests)

    ResumingBlobStream(RepositoryClient repository, Digest digest, int maxRetries) {
        this.repository = repository;
        this.digest = digest;
        this.maxRetries = maxRetries;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (gaveUp != null) {
            throw gaveUp;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            try {
                if (current == null) {
                    open();
                }
                int n = current.read(b, off, len);
                if (n > 0) {
                    offset += n;
                    failuresInARow = 0;
                    return n;
                }
                if (n < 0 && size >= 0 && offset < size) {
                    throw new IOException("connection closed after " + offset + " of " + size + " bytes");
                }
                return n;
            } catch (IOException e) {
                if ((e instanceof java.io.InterruptedIOException && !(e instanceof java.net.SocketTimeoutException))
                        || Thread.currentThread().isInterrupted()) {
                    close();
                    throw e; // the pull is being cancelled: no resume
                }
                if (current != null) {
                    RepositoryClient.closeQuietly(current);
                    current = null;
                }
                if (++failuresInARow > maxRetries) {
                    // a reader that goes on (a scan that failed, then a drain) must not start it all again
                    gaveUp = new IOException("GET " + digest + " from " + repository.repository().name() + ": " + e.getMessage()
                            + " (gave up after " + maxRetries + " resumes)", e);
                    throw gaveUp;
                }
            }
        }
    }

    private void open() throws IOException {
        try {
            RepositoryClient.BlobStream s = repository.openBlob(digest, offset);
            current = s.body();
            if (size < 0) {
                size = s.size();
            }
        } catch (BerthException e) {
            if (e.kind() == BerthException.Kind.INTERNAL && !(e instanceof RegistryError)) {
                throw new IOException(e.getMessage(), e); // could not connect: read() counts it and tries again
            }
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            RepositoryClient.closeQuietly(current);
        }
    }
}
