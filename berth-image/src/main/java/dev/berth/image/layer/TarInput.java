package dev.berth.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The uncompressed tar as the tar reader consumes it: every byte is hashed (the diff id) and
 * counted, and while {@link #record} is on, kept, so that PAX headers can be read again as raw
 * bytes (commons-compress decodes PAX values as UTF-8, which mangles binary xattrs such as
 * security.capability).
 */
final class TarInput extends InputStream {
    /**
     * The most the headers of one entry (pax records, GNU long names) may take. The tar reader
     * holds them in memory, so a hostile layer could otherwise exhaust it; Go's archive/tar,
     * which docker uses, has the same 1 MiB limit on such special files.
     */
    static final int MAX_HEADERS = (1 << 20) + 64 * 1024;

    private final InputStream in;
    private final MessageDigest sha256;
    private long position;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream(4096);
    private ByteArrayOutputStream recording;
    private long recordingStart;

    TarInput(InputStream in, MessageDigest sha256) {
        this.in = in;
        this.sha256 = sha256;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            position++;
            if (recording != null) {
                checkRecorded(1);
                recording.write(b);
            }
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            sha256.update(buf, off, n);
            position += n;
            if (recording != null) {
                checkRecorded(n);
                recording.write(buf, off, n);
            }
        }
        return n;
    }

    private void checkRecorded(int more) throws IOException {
        if (recording.size() + more > MAX_HEADERS) {
            throw new IOException("the headers of one entry exceed 1 MiB");
        }
    }

    /** skip reads, so skipped bytes are hashed too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 65536)];
        long done = 0;
        while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /** Starts keeping what is read (forgetting what was kept before). */
    void record() {
        kept.reset();
        recording = kept;
        recordingStart = position;
    }

    void stopRecording() {
        recording = null;
    }

    /** What was read between {@link #record} and {@link #stopRecording}. */
    byte[] recorded() {
        return kept.toByteArray();
    }

    long recordingStart() {
        return recordingStart;
    }

    /** Reads what the tar reader left (end-of-archive blocks, block padding) so the digest covers it. */
    void drain(byte[] buffer) throws IOException {
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashing is the point
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
