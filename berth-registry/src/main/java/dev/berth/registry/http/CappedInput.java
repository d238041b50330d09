package dev.berth.registry.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not exceed {@code allowed} bytes: one byte more and the read fails
 * with SIZE_TOO_LARGE (413), so the store drops the chunk instead of filling the disk. Needed for
 * bodies without a Content-Length (chunked PATCHes), whose size is known only at the end.
 */
final class CappedInput extends FilterInputStream {
    private final long max;
    private long remaining;

    CappedInput(InputStream in, long allowed, long max) {
        super(in);
        this.remaining = allowed;
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) {
        remaining -= n;
        if (remaining < 0) {
            throw tooLarge(max);
        }
    }

    static RegistryException tooLarge(long max) {
        return new RegistryException(ErrorCode.SIZE_TOO_LARGE, "blob is larger than the limit of " + max + " bytes");
    }
}
