package dev.berth.registry.store;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pushed manifest is and what it names, read once from its bytes: the media type it is
 * stored under, the blobs it needs in the repository (config and layers), the manifests an
 * index needs, and its subject with the fields a referrers descriptor carries.
 *
 * <p>OCI image manifests and Docker v2 schema 2 manifests are read as {@link ImageManifest},
 * OCI indexes and Docker manifest lists as {@link ImageIndex}; Docker schema 1 is refused (no
 * current client pushes it and it cannot be verified without its signatures); any other media
 * type is kept as-is when the body is a JSON object, its subject honoured when it has one.
 */
record ManifestCheck(String mediaType, List<Descriptor> blobs, List<Descriptor> manifests,
                     Optional<Descriptor> subject, String artifactType, Map<String, String> annotations) {
    private static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    private static final String SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /**
     * Reads {@code body} pushed with {@code contentTypeOrNull} (parameters such as charset are
     * ignored). MANIFEST_INVALID when it is not JSON, declares another media type than it was
     * pushed with, or is not a valid document of its type.
     */
    static ManifestCheck read(byte[] body, String contentTypeOrNull) {
        JsonObject root = parseObject(body);
        String declared = root.string("mediaType").orElse("");
        String pushedAs = bareType(contentTypeOrNull);
        if (!declared.isEmpty() && !pushedAs.isEmpty() && !declared.equals(pushedAs)) {
            throw invalid("manifest declares media type " + declared + " but was pushed as " + pushedAs);
        }
        String type = !pushedAs.isEmpty() ? pushedAs : !declared.isEmpty() ? declared : guess(root);
        if (type.equals(SCHEMA1) || type.equals(SCHEMA1_SIGNED)) {
            throw invalid("docker image manifest schema 1 is not supported: push schema 2 or OCI");
        }
        try {
            if (MediaTypes.isManifest(type)) {
                ImageManifest m = ImageJson.parseManifest(body);
                List<Descriptor> blobs = new ArrayList<>(m.layers().size() + 1);
                blobs.add(m.config());
                blobs.addAll(m.layers());
                String artifactType = m.artifactType().isEmpty() ? m.config().mediaType() : m.artifactType();
                return new ManifestCheck(type, blobs, List.of(), m.subject(), artifactType, m.annotations());
            }
            if (MediaTypes.isIndex(type)) {
                ImageIndex index = ImageJson.parseIndex(body);
                return new ManifestCheck(type, List.of(), index.manifests(), index.subject(), index.artifactType(),
                        index.annotations());
            }
            Optional<Descriptor> subject = root.object("subject").map(ImageJson::descriptor);
            return new ManifestCheck(type, List.of(), List.of(), subject, root.string("artifactType").orElse(""),
                    root.stringMap("annotations"));
        } catch (BerthException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The media type without parameters ({@code application/json; charset=utf-8} → {@code application/json}). */
    static String bareType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static JsonObject parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("empty manifest");
        }
        try {
            return JsonObject.root("manifest", Json.parse(new String(body, StandardCharsets.UTF_8), "manifest"));
        } catch (BerthException e) {
            throw invalid(e.getMessage());
        }
    }

    // the spec lets mediaType be absent; the shape then tells (as ImageJson.mediaTypeOf does)
    private static String guess(JsonObject root) {
        if (root.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (root.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw invalid("manifest has no media type: send a Content-Type or a mediaType field");
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
    }
}
