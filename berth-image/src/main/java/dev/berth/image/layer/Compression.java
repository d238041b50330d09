package dev.berth.image.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.berth.oci.BerthException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * How a layer blob is compressed, told by its first bytes: media types lie (docker-archive
 * layers carry none, and "tar.gzip" layers are sometimes plain tar).
 */
public enum Compression {
    NONE, GZIP, ZSTD;

    /** Reads in big chunks: the decompressors pull from here and the tar reader from them. */
    static final int BUFFER = 1 << 17;

    /** Peeks at the magic bytes without consuming them ({@code in} is marked and reset). */
    public static Compression detect(BufferedInputStream in) {
        try {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            // zstd frame magic 0xFD2FB528, little-endian
            if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                    && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
                return ZSTD;
            }
            return NONE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stream of the uncompressed bytes. GZIP uses the JDK's inflater (zlib): measured as fast
     * as commons-compress's (both are zlib underneath) with less in between; multi-member gzip
     * (pigz, concatenated) is read to the end.
     */
    public InputStream decompress(InputStream in) {
        try {
            return switch (this) {
                case NONE -> in;
                case GZIP -> new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
                case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), BUFFER);
            };
        } catch (java.util.zip.ZipException e) {
            throw BerthException.invalid("invalid gzip layer: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Detects and decompresses in one step; the result is buffered. */
    public static InputStream open(InputStream possiblyCompressed) {
        BufferedInputStream in = possiblyCompressed instanceof BufferedInputStream b
                ? b : new BufferedInputStream(possiblyCompressed, BUFFER);
        return detect(in).decompress(in);
    }
}
