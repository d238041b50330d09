package dev.berth.daemon.image;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.image.store.DeleteResponseItem;
import dev.berth.image.store.HistoryItem;
import dev.berth.image.store.Image;
import dev.berth.oci.image.Digest;
import dev.berth.oci.json.JsonObjectBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one translator from berth's image model to the Docker Engine API's image JSON
 * (ImageSummary, ImageInspect, HistoryResponseItem, ImageDeleteResponseItem in v1.47.yaml).
 */
public final class ImageWire {
    /** Marks a default that is JSON null (Map.entry takes no null). */
    private static final Object NULL = new Object();
    /** The runtime config keys dockerd always writes in ImageInspect.Config, in its order, with its zero values. */
    private static final List<Map.Entry<String, Object>> CONFIG_DEFAULTS = List.of(
            Map.entry("Hostname", ""), Map.entry("Domainname", ""), Map.entry("User", ""),
            Map.entry("AttachStdin", false), Map.entry("AttachStdout", false), Map.entry("AttachStderr", false),
            Map.entry("Tty", false), Map.entry("OpenStdin", false), Map.entry("StdinOnce", false),
            Map.entry("Env", NULL), Map.entry("Cmd", NULL), Map.entry("Image", ""), Map.entry("Volumes", NULL),
            Map.entry("WorkingDir", ""), Map.entry("Entrypoint", NULL), Map.entry("OnBuild", NULL),
            Map.entry("Labels", NULL));

    private ImageWire() {}

    /** One row of GET /images/json; {@code sharedSize} is -1 unless the client asked for shared-size. */
    public static Map<String, Object> summary(Image image, long sharedSize, ApiVersion version) {
        Map<String, String> labels = image.config().config().labels();
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("Containers", -1L)
                .put("Created", image.created().map(Instant::getEpochSecond).orElse(0L))
                .put("Id", image.id().toString())
                .put("Labels", labels.isEmpty() ? null : labels)
                .put("ParentId", "")
                .put("RepoDigests", image.familiarRepoDigests())
                .put("RepoTags", image.familiarRepoTags())
                .put("SharedSize", sharedSize)
                .put("Size", image.size());
        if (!version.atLeast(1, 44)) {
            b.put("VirtualSize", image.size()); // dropped from the API in 1.44
        }
        return b.build();
    }

    /**
     * GET /images/{name}/json. {@code rawConfig} is the image config document as stored (its
     * {@code config} object is shown as written, over dockerd's zero values).
     */
    public static Map<String, Object> inspect(Image image, Map<String, Object> rawConfig, String graphDriver,
                                              Map<String, String> graphData, ApiVersion version) {
        Map<String, Object> runtime = new LinkedHashMap<>();
        for (Map.Entry<String, Object> d : CONFIG_DEFAULTS) {
            runtime.put(d.getKey(), d.getValue() == NULL ? null : d.getValue());
        }
        if (rawConfig.get("config") instanceof Map<?, ?> stored) {
            stored.forEach((k, v) -> runtime.put((String) k, v));
        }
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("Id", image.id().toString())
                .put("RepoTags", image.familiarRepoTags())
                .put("RepoDigests", image.familiarRepoDigests())
                .put("Parent", "")
                .put("Comment", image.config().comment())
                .put("Created", image.config().created())
                .put("DockerVersion", image.config().dockerVersion())
                .put("Author", image.config().author())
                .put("Config", runtime)
                .put("Architecture", image.config().architecture())
                .omitEmpty("Variant", image.config().variant())
                .put("Os", image.config().os())
                .omitEmpty("OsVersion", image.config().osVersion())
                .put("Size", image.size());
        if (!version.atLeast(1, 44)) {
            b.put("VirtualSize", image.size());
        }
        return b.put("GraphDriver", JsonObjectBuilder.create().put("Data", graphData).put("Name", graphDriver).build())
                .put("RootFS", JsonObjectBuilder.create()
                        .put("Type", "layers")
                        .put("Layers", image.config().diffIds().stream().map(Digest::toString).toList())
                        .build())
                .put("Metadata", Map.of("LastTagTime", image.lastTagTime()
                        .map(DateTimeFormatter.ISO_INSTANT::format).orElse("0001-01-01T00:00:00Z")))
                .build();
    }

    public static Map<String, Object> history(HistoryItem item) {
        return JsonObjectBuilder.create()
                .put("Comment", item.comment())
                .put("Created", item.created())
                .put("CreatedBy", item.createdBy())
                .put("Id", item.id())
                .put("Size", item.size())
                .put("Tags", item.tags().isEmpty() ? null : item.tags())
                .build();
    }

    public static Map<String, Object> deleted(DeleteResponseItem item) {
        return item.isUntagged() ? Map.of("Untagged", item.untagged()) : Map.of("Deleted", item.deleted());
    }
}
