package dev.berth.registry.http;

import dev.berth.oci.image.Digest;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.BlobUpload;

/** Header names and the URLs the API hands back in Location. */
final class Headers {
    static final String CONTENT_DIGEST = "Docker-Content-Digest";
    static final String API_VERSION = "Docker-Distribution-API-Version";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";

    private Headers() {}

    static String manifestLocation(RepositoryName repo, Digest digest) {
        return "/v2/" + repo + "/manifests/" + digest;
    }

    static String blobLocation(RepositoryName repo, Digest digest) {
        return "/v2/" + repo + "/blobs/" + digest;
    }

    static String uploadLocation(RepositoryName repo, String sessionId) {
        return "/v2/" + repo + "/blobs/uploads/" + sessionId;
    }

    /**
     * The Range header of an upload: inclusive, {@code 0-(size-1)}; an empty session says
     * {@code 0-0} as distribution does (clients only read the end of a non-empty one).
     */
    static String uploadRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    static void uploadState(RegistryCall call, BlobUpload upload) {
        call.setHeader("Location", uploadLocation(upload.repository(), upload.id()));
        call.setHeader("Range", uploadRange(upload.size()));
        call.setHeader(UPLOAD_UUID, upload.id());
    }
}
