package dev.berth.registry.http;

import dev.berth.oci.image.Digest;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.BlobInfo;
import dev.berth.registry.store.RegistryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code /v2/<name>/blobs/<digest>}: GET and HEAD (spec.md "Pulling blobs", with Range requests
 * answered 206 as RFC 9110 says) and DELETE ("Deleting Blobs": the link goes; the bytes go at
 * the next garbage collection).
 */
final class BlobRoutes {
    private final RegistryStore store;

    BlobRoutes(RegistryStore store) {
        this.store = store;
    }

    void get(RegistryCall call, RepositoryName repo, String reference) throws IOException {
        Digest digest = References.digest(reference);
        BlobInfo blob = store.blob(repo, digest).orElseThrow(() -> unknown(repo, digest));
        long size = blob.size();
        call.setHeader(Headers.CONTENT_DIGEST, digest.toString());
        call.setHeader("ETag", "\"" + digest + "\"");
        call.setHeader("Accept-Ranges", "bytes");
        // content-addressed: what this URL answers never changes
        call.setHeader("Cache-Control", "max-age=31536000");
        call.setHeader(HttpHeader.CONTENT_TYPE.asString(), "application/octet-stream");
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(call.header("Range").orElse(null), size);
        } catch (ByteRange.Unsatisfiable e) {
            call.errorHeader("Content-Range", "bytes */" + size);
            throw new RegistryException(ErrorCode.RANGE_INVALID, e.getMessage());
        }
        long offset = range.map(ByteRange::offset).orElse(0L);
        long length = range.map(ByteRange::length).orElse(size);
        call.response().setStatus(range.isPresent() ? 206 : 200);
        range.ifPresent(r -> call.setHeader("Content-Range", r.contentRange(size)));
        call.setHeader(HttpHeader.CONTENT_LENGTH.asString(), Long.toString(length));
        if (call.isHead() || length == 0) {
            call.write(ByteBuffer.allocate(0));
            return;
        }
        BlobSender.send(call, store.blobPath(digest), offset, length);
    }

    void delete(RegistryCall call, RepositoryName repo, String reference) throws IOException {
        store.deleteBlob(repo, References.digest(reference));
        call.status(202);
    }

    private static RegistryException unknown(RepositoryName repo, Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " unknown to repository " + repo);
    }
}
