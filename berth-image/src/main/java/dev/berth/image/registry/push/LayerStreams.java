package dev.berth.image.registry.push;

import dev.berth.image.content.ContentStore;
import dev.berth.image.layer.LayerPacker;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Opens the plain tar of a layer whose bytes are gzipped on the way: a content store blob, or its snapshot packed again. */
final class LayerStreams {
    private static final int PIPE = 1 << 20;

    private final ContentStore content;
    private final Snapshotter snapshots;

    LayerStreams(ContentStore content, Snapshotter snapshots) {
        this.content = content;
        this.snapshots = snapshots;
    }

    /** The plain tar, and the check to make once it has been read to its end. */
    record PlainTar(InputStream stream, Verifier verifier) {
    }

    /** Throws when what was read is not the layer (a snapshot that packs to another diff id). */
    @FunctionalInterface
    interface Verifier {
        void verify();
    }

    PlainTar open(PushLayer layer) {
        return switch (layer.content()) {
            case PushLayer.Gzipped g -> new PlainTar(content.open(g.plainBlob().digest()), () -> {
            });
            case PushLayer.Repacked r -> repack(layer, r.chainId());
            case PushLayer.AsStored s -> throw new IllegalArgumentException("layer " + layer.diffId() + " is sent as stored");
        };
    }

    /**
     * Packs the snapshot on a virtual thread into a pipe that the upload reads. Closing the
     * stream early (a failed upload) breaks the pipe, and the packer stops.
     */
    private PlainTar repack(PushLayer layer, Digest chainId) {
        Path dir = snapshots.layer(chainId).dir();
        PipedInputStream in = new PipedInputStream(PIPE);
        PipedOutputStream out;
        try {
            out = new PipedOutputStream(in);
        } catch (IOException e) {
            throw BerthException.internal("pipe: " + e.getMessage(), e);
        }
        CompletableFuture<Digest> packed = new CompletableFuture<>();
        Thread.ofVirtual().name("repack-" + layer.progressId()).start(() -> {
            try (out) {
                packed.complete(new LayerPacker().pack(dir, out));
            } catch (Throwable t) {
                packed.completeExceptionally(t);
            }
        });
        return new PlainTar(in, () -> {
            Digest got;
            try {
                got = packed.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BerthException.internal("interrupted while packing layer " + layer.diffId());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof BerthException b ? b
                        : BerthException.internal("packing layer " + layer.diffId() + ": " + e.getCause().getMessage(), e.getCause());
            }
            if (!got.equals(layer.diffId())) {
                throw BerthException.precondition("layer " + layer.diffId() + " keeps no blob, and its snapshot packs to "
                        + got + ": it cannot be pushed");
            }
        });
    }
}
