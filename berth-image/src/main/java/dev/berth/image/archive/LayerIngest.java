package dev.berth.image.archive;

import dev.berth.image.content.ContentStore;
import dev.berth.image.content.Ingest;
import dev.berth.image.layer.LayerScan;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer blob streamed into the content store while {@link LayerScan} reads the same bytes
 * (decompressing, hashing the diff id, checking the tar) on the calling thread, the store's
 * write and hash on a second one: {@code docker load} stores its archive's layers so, and a
 * pull its downloads, so that unpacking can wait ({@code Snapshotter.addLayerLater}).
 */
public final class LayerIngest {
    private static final int DRAIN_BUFFER = 1 << 20;

    private LayerIngest() {
    }

    /**
     * The stored blob and what the scan found.
     *
     * @param scan  the scan's result, null when the bytes are not a layer tar
     * @param error why they are not (INVALID_ARGUMENT), null when they are
     */
    public record Stored(Digest blob, long size, LayerScan.Result scan, BerthException error) {
        /** The layer's diff id: the scan's, or the blob digest for a plain tar (the scan does not hash those). */
        public Digest diffId() {
            return scan.diffId() != null ? scan.diffId() : blob;
        }
    }

    /**
     * Reads {@code data} to its end into the content store, verified against
     * {@code expectedOrNull}, scanning it on the way.
     *
     * @throws BerthException INVALID_ARGUMENT "digest mismatch: want X, got Y" (nothing stored);
     *     INTERNAL when the store fails
     * @throws IOException when {@code data} fails
     */
    public static Stored store(ContentStore content, InputStream data, Digest expectedOrNull) throws IOException {
        try (Ingest ingest = content.ingest()) {
            AsyncTeeInputStream tee = new AsyncTeeInputStream(data, ingest.stream());
            LayerScan.Result result = null;
            BerthException error = null;
            try {
                try {
                    // a plain tar's diff id is its blob digest, which the ingest computes anyway
                    result = LayerScan.scan(new Unclosable(tee), false);
                } catch (BerthException e) {
                    error = e;
                }
                drain(tee);
                tee.finish();
            } catch (IOException | RuntimeException e) {
                tee.abort();
                throw e;
            }
            long size = ingest.written();
            return new Stored(ingest.commit(expectedOrNull), size, result, error);
        }
    }

    /** What {@link #store} would say of a blob the content store has already ({@code in} is its content). */
    public static Stored scanStored(Digest blob, long size, InputStream in) {
        try {
            return new Stored(blob, size, LayerScan.scan(new Unclosable(in), false), null);
        } catch (BerthException e) {
            return new Stored(blob, size, null, e);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[DRAIN_BUFFER];
        while (in.read(buffer) >= 0) {
            // the tee writes what passes
        }
    }

    /** Keeps the scanner from closing the stream under the tee. */
    private static final class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller drains and closes
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
