package dev.berth.image.registry.push;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;

/**
 * Whether gzip is worth its time for a plain layer: its first MiB is deflated (level 1, as the
 * push would) and the layer is gzipped only when that shrinks it by a tenth or more. Gzip runs at
 * ~45 MB/s on one core here, slower than loopback or a LAN; a layer of already compressed or
 * random data (archives, media, models) then goes plain, under the plain tar media type, which
 * every registry and puller takes. Deterministic: the same layer always decides the same way.
 */
final class GzipProbe {
    static final int SAMPLE = 1 << 20;
    /** Compressed/plain at or above this: not worth it. */
    static final double NOT_WORTH = 0.9;

    private GzipProbe() {
    }

    /** Reads up to {@link #SAMPLE} bytes of {@code plain} (which the caller closes). */
    static boolean worthCompressing(InputStream plain) throws IOException {
        byte[] sample = plain.readNBytes(SAMPLE);
        if (sample.length == 0) {
            return true; // an empty tar: tiny either way, gzip as dockerd does
        }
        Deflater d = new Deflater(GzippingInputStream.LEVEL, true);
        try {
            d.setInput(sample);
            d.finish();
            byte[] out = new byte[64 * 1024];
            long compressed = 0;
            while (!d.finished()) {
                compressed += d.deflate(out);
                if (compressed >= sample.length * NOT_WORTH) {
                    return false;
                }
            }
            return compressed < sample.length * NOT_WORTH;
        } finally {
            d.end();
        }
    }
}
