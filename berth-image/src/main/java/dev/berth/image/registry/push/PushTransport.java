package dev.berth.image.registry.push;

import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * The registry requests a push makes, for one repository, already authenticated for
 * {@code pull,push} on it (distribution spec, "Push"). One small method per request, as the
 * spec names them; the push logic ({@link ImagePusher}) decides which to make.
 *
 * <p>Failures are {@link dev.berth.oci.BerthException}s worded as distribution's client words
 * them (UNAUTHORIZED, FORBIDDEN "denied: …", INVALID_ARGUMENT for a digest the registry refused,
 * INTERNAL when the registry cannot be reached).
 */
public interface PushTransport {

    /** The repository's full name, {@code 127.0.0.1:5000/app} (docker.io's as {@code docker.io/library/x}). */
    String repository();

    /** {@code HEAD /v2/<name>/blobs/<digest>}: the blob's size when the repository has it. */
    Optional<Long> blobSize(Digest digest);

    /**
     * {@code POST /v2/<name>/blobs/uploads/}, with {@code ?mount=<digest>&from=<path>} when
     * {@code mount} is given: {@link Started.Mounted} when the registry mounted the blob (201),
     * else an upload session (202; a registry that cannot mount answers so too).
     */
    Started startUpload(Optional<Mount> mount);

    /**
     * The whole blob in one request, {@code PUT <session>?digest=} with its bytes: what a push
     * does when it knows the digest beforehand. {@code body} opens the bytes afresh each time
     * (a request refused with 401 is sent again with new credentials).
     */
    void putBlob(URI session, Digest digest, long size, BlobBody body);

    /**
     * A blob whose digest is known only at its end (it is compressed while it is sent):
     * {@code PATCH <session>} streaming {@code data} (no Content-Range, chunked), and the
     * session's next location is returned, for {@link #finishUpload}. The stream can be read
     * once only: a request that would need it again fails (and the registry, which checks the
     * digest on {@link #finishUpload}, would refuse a blob sent short anyway).
     */
    URI patchBlob(URI session, InputStream data);

    /** {@code PUT <session>?digest=} with no body: closes a session whose bytes were PATCHed. */
    void finishUpload(URI session, Digest digest);

    /** {@code DELETE <session>}: gives up an upload; errors are ignored (the session expires anyway). */
    void cancelUpload(URI session);

    /**
     * {@code PUT /v2/<name>/manifests/<reference>} with the exact bytes; the digest the registry
     * answered with ({@code Docker-Content-Digest}), or the bytes' sha256 when it sent none.
     */
    Digest putManifest(String reference, String mediaType, byte[] manifest);

    /** Opens a blob's bytes, from the start, each time it is called. */
    @FunctionalInterface
    interface BlobBody {
        InputStream open() throws java.io.IOException;
    }

    /** A blob to mount from {@code fromPath}, another repository of the same registry ({@code library/busybox}). */
    record Mount(Digest digest, String fromPath) {
    }

    /** What {@link #startUpload} got. */
    sealed interface Started {
        record Mounted(Digest digest) implements Started {
        }

        record Session(URI location) implements Started {
        }
    }
}
