package dev.berth.image.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** How a layer blob is compressed, told by its first bytes (the media type may lie or be absent). */
public enum Compression {
    NONE, GZIP, ZSTD;

    /** Peeks at the magic bytes without consuming them ({@code in} must support mark). */
    public static Compression detect(BufferedInputStream in) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A stream of the uncompressed bytes. */
    public InputStream decompress(InputStream in) {
        throw new UnsupportedOperationException("not yet");
    }
}
