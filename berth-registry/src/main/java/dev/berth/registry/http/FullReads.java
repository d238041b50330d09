package dev.berth.registry.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body whose reads fill the caller's buffer: Jetty hands a chunked body over one HTTP
 * chunk per read, and dockerd streams a layer in chunks of a few KiB, so without this the store
 * wrote and hashed (and synced its bookkeeping for) 4 KiB at a time. A read blocks until the
 * buffer is full or the body ends. When the client goes away after some bytes of a read, those
 * bytes are returned first and the failure comes with the next read, so a streamed chunk keeps
 * every byte that arrived.
 */
final class FullReads extends FilterInputStream {
    private IOException pending;

    FullReads(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        if (pending != null) {
            IOException e = pending;
            pending = null;
            throw e;
        }
        int filled = 0;
        while (filled < len) {
            int n;
            try {
                n = in.read(buffer, off + filled, len - filled);
            } catch (IOException e) {
                if (filled == 0) {
                    throw e;
                }
                pending = e;
                return filled;
            }
            if (n < 0) {
                return filled == 0 ? -1 : filled;
            }
            filled += n;
        }
        return filled;
    }
}
