package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON of image manifests, indexes, descriptors and configs ↔ their records.
 *
 * <p>Parsing reads with {@link JsonObject}, so errors name the document and the field
 * ({@code image config: rootfs.diff_ids[1]: invalid sha256 digest "xyz"}); unknown fields are
 * ignored. Writing follows the field names and order of the Go types docker and containerd
 * marshal (opencontainers/image-spec specs-go, docker's container.Config), compact, with Go's
 * escaping; optional fields are omitted when empty.
 */
public final class ImageJson {
    public static final String MANIFEST = "image manifest";
    public static final String INDEX = "image index";
    public static final String CONFIG = "image config";
    public static final String DESCRIPTOR = "descriptor";

    private ImageJson() {}

    // ---- parse ----

    public static ImageManifest parseManifest(byte[] json) {
        JsonObject o = root(MANIFEST, json);
        return new ImageManifest(
                schemaVersion(o),
                o.string("mediaType").orElse(""),
                o.string("artifactType").orElse(""),
                descriptor(o.object("config").orElseThrow(() -> o.error("config", "required"))),
                descriptors(o, "layers"),
                o.object("subject").map(ImageJson::descriptor),
                o.stringMap("annotations"));
    }

    public static ImageIndex parseIndex(byte[] json) {
        JsonObject o = root(INDEX, json);
        return new ImageIndex(
                schemaVersion(o),
                o.string("mediaType").orElse(""),
                o.string("artifactType").orElse(""),
                descriptors(o, "manifests"),
                o.object("subject").map(ImageJson::descriptor),
                o.stringMap("annotations"));
    }

    public static Descriptor parseDescriptor(byte[] json) {
        return descriptor(root(DESCRIPTOR, json));
    }

    public static ImageConfig parseConfig(byte[] json) {
        JsonObject o = root(CONFIG, json);
        JsonObject rootfs = o.object("rootfs").orElseThrow(() -> o.error("rootfs", "required"));
        String rootfsType = rootfs.string("type").orElseThrow(() -> rootfs.error("type", "required"));
        if (!rootfsType.equals("layers")) {
            throw rootfs.error("type", "must be \"layers\", got \"" + rootfsType + "\"");
        }
        List<String> diffIdTexts = rootfs.strings("diff_ids");
        List<Digest> diffIds = new ArrayList<>(diffIdTexts.size());
        for (int i = 0; i < diffIdTexts.size(); i++) {
            diffIds.add(digest(rootfs, "diff_ids[" + i + "]", diffIdTexts.get(i)));
        }
        List<ImageConfig.History> history = new ArrayList<>();
        for (JsonObject h : o.objectList("history")) {
            history.add(new ImageConfig.History(
                    h.string("created").orElse(""),
                    h.string("created_by").orElse(""),
                    h.string("author").orElse(""),
                    h.string("comment").orElse(""),
                    h.bool("empty_layer").orElse(false)));
        }
        return new ImageConfig(
                o.string("created").orElse(""),
                o.string("author").orElse(""),
                o.string("architecture").filter(s -> !s.isEmpty()).orElseThrow(() -> o.error("architecture", "required")),
                o.string("os").filter(s -> !s.isEmpty()).orElseThrow(() -> o.error("os", "required")),
                o.string("os.version").orElse(""),
                o.strings("os.features"),
                o.string("variant").orElse(""),
                o.object("config").map(ImageJson::runConfig).orElse(ImageConfig.Config.EMPTY),
                ImageConfig.RootFs.layers(diffIds),
                history,
                o.string("comment").orElse(""),
                o.string("docker_version").orElse(""));
    }

    /**
     * The media type of a manifest or index document: its {@code mediaType} field, or, when
     * absent (allowed by the spec), guessed from its shape: {@code manifests} means an index,
     * {@code config} a manifest.
     */
    public static String mediaTypeOf(byte[] json) {
        JsonObject o = root(MANIFEST, json);
        Optional<String> declared = o.string("mediaType").filter(s -> !s.isEmpty());
        if (declared.isPresent()) {
            return declared.get();
        }
        if (o.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (o.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw o.error("mediaType", "neither a manifest nor an index: no mediaType, config or manifests");
    }

    private static JsonObject root(String source, byte[] json) {
        if (json == null) {
            throw BerthException.invalid(source + ": missing document");
        }
        return JsonObject.root(source, Json.parse(new String(json, StandardCharsets.UTF_8), source));
    }

    private static int schemaVersion(JsonObject o) {
        long v = o.int32("schemaVersion").orElseThrow(() -> o.error("schemaVersion", "required"));
        if (v != 2) {
            throw o.error("schemaVersion", "unsupported version " + v + ", want 2");
        }
        return 2;
    }

    private static List<Descriptor> descriptors(JsonObject o, String key) {
        List<Descriptor> out = new ArrayList<>();
        for (JsonObject d : o.objectList(key)) {
            out.add(descriptor(d));
        }
        return out;
    }

    /** Reads a descriptor embedded in another document; errors name its path there. */
    public static Descriptor descriptor(JsonObject d) {
        String mediaType = d.string("mediaType").filter(s -> !s.isEmpty()).orElseThrow(() -> d.error("mediaType", "required"));
        String digestText = d.string("digest").orElseThrow(() -> d.error("digest", "required"));
        long size = d.int64("size").orElseThrow(() -> d.error("size", "required"));
        if (size < 0) {
            throw d.error("size", "must not be negative, got " + size);
        }
        Optional<Platform> platform = d.object("platform").map(ImageJson::platform);
        try {
            return new Descriptor(mediaType, digest(d, "digest", digestText), size, d.strings("urls"),
                    d.stringMap("annotations"), platform, d.string("artifactType").orElse(""));
        } catch (BerthException e) {
            if (e.getMessage().startsWith("descriptor: invalid media type")) {
                throw d.error("mediaType", "invalid media type \"" + mediaType + "\"");
            }
            throw e;
        }
    }

    private static Platform platform(JsonObject p) {
        return new Platform(
                p.string("architecture").filter(s -> !s.isEmpty()).orElseThrow(() -> p.error("architecture", "required")),
                p.string("os").filter(s -> !s.isEmpty()).orElseThrow(() -> p.error("os", "required")),
                p.string("os.version").orElse(""),
                p.strings("os.features"),
                p.string("variant").orElse(""));
    }

    private static Digest digest(JsonObject o, String key, String text) {
        try {
            return Digest.parse(text);
        } catch (BerthException e) {
            throw o.error(key, e.getMessage());
        }
    }

    private static ImageConfig.Config runConfig(JsonObject c) {
        return new ImageConfig.Config(
                c.string("User").orElse(""),
                keys(c, "ExposedPorts"),
                c.strings("Env"),
                c.strings("Entrypoint"),
                c.strings("Cmd"),
                c.object("Healthcheck").map(ImageJson::healthcheck),
                c.bool("ArgsEscaped").orElse(false),
                keys(c, "Volumes"),
                c.string("WorkingDir").orElse(""),
                c.strings("OnBuild"),
                c.stringMap("Labels"),
                c.string("StopSignal").orElse(""),
                c.strings("Shell"));
    }

    private static ImageConfig.Healthcheck healthcheck(JsonObject h) {
        return new ImageConfig.Healthcheck(
                h.strings("Test"),
                h.int64("Interval").orElse(0L),
                h.int64("Timeout").orElse(0L),
                h.int64("StartPeriod").orElse(0L),
                h.int64("StartInterval").orElse(0L),
                h.int32("Retries").orElse(0L).intValue());
    }

    /** The keys of a map whose values are empty objects ({@code {"80/tcp": {}}}). */
    private static Set<String> keys(JsonObject c, String key) {
        return new LinkedHashSet<>(c.objectMap(key, v -> v).keySet());
    }

    // ---- write ----

    public static byte[] write(ImageManifest m) {
        return bytes(manifestTree(m));
    }

    public static byte[] write(ImageIndex index) {
        return bytes(indexTree(index));
    }

    public static byte[] write(Descriptor d) {
        return bytes(descriptorTree(d));
    }

    public static byte[] write(ImageConfig config) {
        return bytes(configTree(config));
    }

    /** The JSON tree of a descriptor, for documents that embed one (docker-archive, API replies). */
    public static Map<String, Object> descriptorTree(Descriptor d) {
        return JsonObjectBuilder.create()
                .put("mediaType", d.mediaType())
                .put("digest", d.digest().toString())
                .put("size", d.size())
                .omitEmpty("urls", d.urls())
                .omitEmpty("annotations", d.annotations())
                .omitNull("platform", d.platform().map(ImageJson::platformTree).orElse(null))
                .omitEmpty("artifactType", d.artifactType())
                .build();
    }

    public static Map<String, Object> platformTree(Platform p) {
        return JsonObjectBuilder.create()
                .put("architecture", p.architecture())
                .put("os", p.os())
                .omitEmpty("os.version", p.osVersion())
                .omitEmpty("os.features", p.osFeatures())
                .omitEmpty("variant", p.variant())
                .build();
    }

    public static Map<String, Object> manifestTree(ImageManifest m) {
        return JsonObjectBuilder.create()
                .put("schemaVersion", (long) m.schemaVersion())
                .omitEmpty("mediaType", m.mediaType())
                .omitEmpty("artifactType", m.artifactType())
                .put("config", descriptorTree(m.config()))
                .put("layers", descriptorTrees(m.layers()))
                .omitNull("subject", m.subject().map(ImageJson::descriptorTree).orElse(null))
                .omitEmpty("annotations", m.annotations())
                .build();
    }

    public static Map<String, Object> indexTree(ImageIndex index) {
        return JsonObjectBuilder.create()
                .put("schemaVersion", (long) index.schemaVersion())
                .omitEmpty("mediaType", index.mediaType())
                .omitEmpty("artifactType", index.artifactType())
                .put("manifests", descriptorTrees(index.manifests()))
                .omitNull("subject", index.subject().map(ImageJson::descriptorTree).orElse(null))
                .omitEmpty("annotations", index.annotations())
                .build();
    }

    /**
     * The config as dockerd writes one: top-level keys in alphabetical order (docker marshals the
     * config through a map), history entries and the runtime config in the order of docker's Go
     * structs, empty fields left out.
     */
    public static Map<String, Object> configTree(ImageConfig c) {
        List<Object> diffIds = new ArrayList<>();
        for (Digest d : c.rootfs().diffIds()) {
            diffIds.add(d.toString());
        }
        List<Object> history = new ArrayList<>();
        for (ImageConfig.History h : c.history()) {
            history.add(JsonObjectBuilder.create()
                    .omitEmpty("created", h.created())
                    .omitEmpty("author", h.author())
                    .omitEmpty("created_by", h.createdBy())
                    .omitEmpty("comment", h.comment())
                    .omitEmpty("empty_layer", h.emptyLayer())
                    .build());
        }
        Map<String, Object> tree = JsonObjectBuilder.create()
                .put("architecture", c.architecture())
                .omitEmpty("author", c.author())
                .omitEmpty("comment", c.comment())
                .put("config", runConfigTree(c.config()))
                .omitEmpty("created", c.created())
                .omitEmpty("docker_version", c.dockerVersion())
                .omitEmpty("history", history)
                .put("os", c.os())
                .omitEmpty("os.features", c.osFeatures())
                .omitEmpty("os.version", c.osVersion())
                .put("rootfs", JsonObjectBuilder.create().put("type", c.rootfs().type()).put("diff_ids", diffIds).build())
                .omitEmpty("variant", c.variant())
                .build();
        return tree;
    }

    /** The runtime config in docker's container.Config order (names as docker and the OCI spec spell them). */
    public static Map<String, Object> runConfigTree(ImageConfig.Config c) {
        return JsonObjectBuilder.create()
                .omitEmpty("User", c.user())
                .omitEmpty("ExposedPorts", emptyObjects(c.exposedPorts()))
                .omitEmpty("Env", c.env())
                .omitEmpty("Cmd", c.cmd())
                .omitNull("Healthcheck", c.healthcheck().map(ImageJson::healthcheckTree).orElse(null))
                .omitEmpty("ArgsEscaped", c.argsEscaped())
                .omitEmpty("Volumes", emptyObjects(c.volumes()))
                .omitEmpty("WorkingDir", c.workingDir())
                .omitEmpty("Entrypoint", c.entrypoint())
                .omitEmpty("OnBuild", c.onBuild())
                .omitEmpty("Labels", c.labels())
                .omitEmpty("StopSignal", c.stopSignal())
                .omitEmpty("Shell", c.shell())
                .build();
    }

    public static Map<String, Object> healthcheckTree(ImageConfig.Healthcheck h) {
        return JsonObjectBuilder.create()
                .omitEmpty("Test", h.test())
                .omitEmpty("Interval", h.interval())
                .omitEmpty("Timeout", h.timeout())
                .omitEmpty("StartPeriod", h.startPeriod())
                .omitEmpty("StartInterval", h.startInterval())
                .omitEmpty("Retries", (long) h.retries())
                .build();
    }

    private static List<Object> descriptorTrees(List<Descriptor> descriptors) {
        List<Object> out = new ArrayList<>(descriptors.size());
        for (Descriptor d : descriptors) {
            out.add(descriptorTree(d));
        }
        return out;
    }

    private static Map<String, Object> emptyObjects(Set<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, new LinkedHashMap<String, Object>());
        }
        return out;
    }

    private static byte[] bytes(Map<String, Object> tree) {
        return Json.write(tree).getBytes(StandardCharsets.UTF_8);
    }
}
