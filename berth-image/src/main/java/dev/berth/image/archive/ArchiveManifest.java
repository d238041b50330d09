package dev.berth.image.archive;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a docker-archive's {@code manifest.json}, the file {@code docker load} starts from:
 * <pre>
 * [{"Config":"blobs/sha256/…","RepoTags":["busybox:latest"],"Layers":["blobs/sha256/…"]}]
 * </pre>
 * {@code Config} and {@code Layers} are paths inside the archive ({@code <hex>.json} and
 * {@code <v1id>/layer.tar} before Docker 25; {@code blobs/sha256/<hex>} since). {@code Parent} and
 * {@code LayerSources} (foreign layers) are read and written through unchanged.
 *
 * @see <a href="https://github.com/moby/moby/blob/master/image/spec/v1.2.md">image spec v1.2, combined image JSON + filesystem changeset format</a>
 */
public record ArchiveManifest(String config, List<String> repoTags, List<String> layers, String parent,
        Map<String, Object> layerSources) {
    public static final String FILE = "manifest.json";

    public ArchiveManifest {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        layers = List.copyOf(layers);
    }

    public static List<ArchiveManifest> parse(byte[] json) {
        Object tree = Json.parse(new String(json, StandardCharsets.UTF_8), FILE);
        if (!(tree instanceof List<?> items)) {
            throw BerthException.invalid(FILE + ": expected a list of images");
        }
        List<ArchiveManifest> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.root(FILE + "[" + i + "]", items.get(i));
            String config = item.string("Config").orElseThrow(() -> item.error("Config", "missing"));
            Map<String, Object> sources = item.object("LayerSources").isPresent() ? objectField(items.get(i), "LayerSources") : null;
            out.add(new ArchiveManifest(config, item.strings("RepoTags"), item.strings("Layers"),
                    item.string("Parent").orElse(null), sources));
        }
        return out;
    }

    public static byte[] write(List<ArchiveManifest> manifests) {
        List<Object> items = new ArrayList<>();
        for (ArchiveManifest m : manifests) {
            items.add(JsonObjectBuilder.create()
                    .put("Config", m.config())
                    .put("RepoTags", m.repoTags().isEmpty() ? null : m.repoTags())
                    .put("Layers", m.layers())
                    .omitNull("Parent", m.parent())
                    .omitNull("LayerSources", m.layerSources())
                    .build());
        }
        return (Json.write(items) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectField(Object item, String key) {
        return (Map<String, Object>) ((Map<String, Object>) item).get(key);
    }
}
