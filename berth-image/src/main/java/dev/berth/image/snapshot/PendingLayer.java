package dev.berth.image.snapshot;

import dev.berth.oci.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer recorded by {@link Snapshotter#addLayerLater} whose files are not unpacked yet. Its
 * fields other than the identity are guarded by the snapshotter's monitor, except
 * {@link #abandoned}, which the unpacking thread reads through {@link #open}'s stream.
 */
final class PendingLayer {
    final Digest chainId;
    final Digest parentChainId;
    final Digest diffId;
    final long size;
    private final Snapshotter.LayerSource source;

    /** An unpack is under way (on the background worker or on the thread of a caller that needs it). */
    boolean running;
    /** The unpack runs on the background worker (closing the snapshotter abandons those only). */
    boolean inBackground;
    /** Removed, replaced, or its worker stopped: the unpack under way stops at its next read and commits nothing. */
    volatile boolean abandoned;

    PendingLayer(Digest chainId, Digest parentChainId, Digest diffId, long size, Snapshotter.LayerSource source) {
        this.chainId = chainId;
        this.parentChainId = parentChainId;
        this.diffId = diffId;
        this.size = size;
        this.source = source;
    }

    /** A fresh record of the same layer (after its worker was stopped, for a later user). */
    PendingLayer renewed() {
        return new PendingLayer(chainId, parentChainId, diffId, size, source);
    }

    /** The layer's tar, failing at the next read once the layer is abandoned. */
    InputStream open() throws IOException {
        return new FilterInputStream(source.open()) {
            @Override
            public int read() throws IOException {
                check();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                return super.read(b, off, len);
            }

            private void check() throws IOException {
                if (abandoned) {
                    throw new IOException("unpack abandoned");
                }
            }
        };
    }
}
