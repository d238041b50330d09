package dev.berth.image.registry.push;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Reads plain bytes from a source and gives their gzip (RFC 1952): what an upload body pulls
 * while a layer is compressed on its way out, with no thread and no pipe in between. The output
 * depends only on the input, the encoder and its library's version (no name, mtime 0), so packing
 * the same layer twice gives the same blob and the same digest, which a later push finds in the
 * registry.
 *
 * <p>Two encoders. {@link Encoder#LIBDEFLATE} (the host's libdeflate, when there) cuts the layer
 * into 1 MiB pieces and gives each as one gzip member: a multi-member gzip, as pigz -i and bgzip
 * write, which RFC 1952 allows and every layer reader takes (Go's gzip reads members on by
 * default, so do containerd, dockerd, skopeo and the JDK). {@link Encoder#ZLIB} is the JDK's
 * deflater, one member, streamed.
 */
public final class GzippingInputStream extends InputStream {
    /** zlib's level 1: measured ~70 MB/s on binaries (ratio 0.41) against ~22 MB/s at zlib's default 6 (0.37). */
    public static final int LEVEL = Deflater.BEST_SPEED;
    private static final int CHUNK = 1 << 17;
    /** libdeflate's piece, one gzip member each: big enough that the dictionary reset costs ~1% of the ratio. */
    static final int PIECE = 1 << 20;

    /** Who compresses. */
    public enum Encoder {
        LIBDEFLATE, ZLIB;

        /** libdeflate when the host has it, zlib otherwise. */
        public static Encoder best() {
            return LibDeflate.available() ? LIBDEFLATE : ZLIB;
        }
    }

    private final InputStream source;
    private final Deflater deflater;
    private final LibDeflate members;
    private final CRC32 crc = new CRC32();
    private final byte[] in;
    private final byte[] out;
    private int outPos;
    private int outLimit;
    private long plainBytes;
    private boolean headerDone;
    private boolean trailerDone;
    private boolean closed;

    public GzippingInputStream(InputStream source) {
        this(source, Encoder.best());
    }

    public GzippingInputStream(InputStream source, Encoder encoder) {
        this.source = source;
        if (encoder == Encoder.LIBDEFLATE) {
            this.members = new LibDeflate(PIECE);
            this.deflater = null;
            this.in = new byte[PIECE];
            this.out = new byte[members.maxMember()];
        } else {
            this.members = null;
            this.deflater = new Deflater(LEVEL, true);
            this.in = new byte[CHUNK];
            this.out = new byte[CHUNK + 64];
        }
    }

    /** Plain bytes read from the source so far. */
    public long plainBytes() {
        return plainBytes;
    }

    /** Whether the whole gzip stream, trailer included, has been read. */
    public boolean isComplete() {
        return trailerDone && outPos == outLimit;
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
        if (len == 0) {
            return 0;
        }
        while (outPos == outLimit) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, outLimit - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Refills {@code out}; false at the end of the gzip stream. */
    private boolean fill() throws IOException {
        outPos = 0;
        outLimit = 0;
        if (members != null) {
            return nextMember();
        }
        if (!headerDone) {
            headerDone = true;
            byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 4, (byte) 0xff};
            System.arraycopy(header, 0, out, 0, header.length);
            outLimit = header.length;
            return true;
        }
        if (trailerDone) {
            return false;
        }
        while (outLimit == 0) {
            if (deflater.needsInput() && !deflater.finished()) {
                int n = source.read(in, 0, in.length);
                if (n < 0) {
                    deflater.finish();
                } else {
                    crc.update(in, 0, n);
                    plainBytes += n;
                    deflater.setInput(in, 0, n);
                }
            }
            if (deflater.finished()) {
                writeTrailer();
                return true;
            }
            outLimit = deflater.deflate(out, 0, CHUNK, Deflater.NO_FLUSH);
        }
        return true;
    }

    /** The next piece as a member; an empty input still gives one (empty) member, a valid gzip. */
    private boolean nextMember() throws IOException {
        if (trailerDone) {
            return false;
        }
        int n = source.readNBytes(in, 0, in.length); // short only at the source's end
        if (n == 0 && headerDone) {
            trailerDone = true;
            return false;
        }
        headerDone = true;
        plainBytes += n;
        outLimit = members.gzipMember(in, n, out);
        if (n < in.length) {
            trailerDone = true;
        }
        return true;
    }

    private void writeTrailer() {
        long c = crc.getValue();
        long s = plainBytes & 0xffffffffL;
        int i = 0;
        for (int k = 0; k < 4; k++) {
            out[i++] = (byte) (c >>> (8 * k));
        }
        for (int k = 0; k < 4; k++) {
            out[i++] = (byte) (s >>> (8 * k));
        }
        outLimit = i;
        trailerDone = true;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                if (members != null) {
                    members.close();
                } else {
                    deflater.end();
                }
            } finally {
                source.close();
            }
        }
    }
}
