package dev.berth.image.registry.push;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A registry repository in memory, checking digests as a registry does, that can be told to fail
 * the next blob uploads: for the push's error paths without a registry process.
 */
final class FakePushTransport implements PushTransport {
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<URI, ByteArrayOutputStream> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    /** Uploads (PUT or PATCH) left to fail, and with what. */
    final AtomicInteger failUploads = new AtomicInteger();
    volatile Supplier<BerthException> failure = () -> BerthException.internal("connection reset");
    /** Runs (once) when the first blob upload begins, before its bytes are read: a test's seam for a concurrent rmi. */
    final java.util.concurrent.atomic.AtomicReference<Runnable> atFirstUpload = new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public String repository() {
        return "fake.example/repo";
    }

    @Override
    public Optional<Long> blobSize(Digest digest) {
        requests.add("HEAD " + digest.shortHex());
        byte[] b = blobs.get(digest);
        return b == null ? Optional.empty() : Optional.of((long) b.length);
    }

    @Override
    public Started startUpload(Optional<Mount> mount) {
        requests.add("POST" + mount.map(m -> " mount " + m.fromPath()).orElse(""));
        URI u = URI.create("http://fake.example/upload/" + counter.incrementAndGet());
        sessions.put(u, new ByteArrayOutputStream());
        return new Started.Session(u);
    }

    @Override
    public void putBlob(URI session, Digest digest, long size, BlobBody body) {
        requests.add("PUT " + digest.shortHex());
        failIfAsked();
        runFirstUploadHook();
        try (InputStream in = body.open()) {
            store(digest, in.readAllBytes());
        } catch (IOException e) {
            throw BerthException.internal(e.getMessage(), e);
        }
    }

    @Override
    public URI patchBlob(URI session, InputStream data) {
        requests.add("PATCH");
        failIfAsked();
        runFirstUploadHook();
        try {
            sessions.get(session).write(data.readAllBytes());
        } catch (IOException e) {
            throw BerthException.internal(e.getMessage(), e);
        }
        return session;
    }

    @Override
    public void finishUpload(URI session, Digest digest) {
        requests.add("PUT " + digest.shortHex());
        store(digest, sessions.remove(session).toByteArray());
    }

    @Override
    public void cancelUpload(URI session) {
        requests.add("DELETE");
        sessions.remove(session);
    }

    @Override
    public Digest putManifest(String reference, String mediaType, byte[] manifest) {
        requests.add("PUT manifest " + reference);
        manifests.put(reference, manifest);
        return Digest.sha256(manifest);
    }

    private void runFirstUploadHook() {
        Runnable hook = atFirstUpload.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }

    private void failIfAsked() {
        if (failUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw failure.get();
        }
    }

    private void store(Digest digest, byte[] bytes) {
        if (!Digest.sha256(bytes).equals(digest)) {
            throw BerthException.invalid("digest invalid: provided digest did not match uploaded content");
        }
        blobs.put(digest, bytes);
    }
}
