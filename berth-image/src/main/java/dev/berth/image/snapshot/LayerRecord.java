package dev.berth.image.snapshot;

import dev.berth.oci.image.Digest;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The layer.json next to a layer's files: what {@link LayerSnapshot} holds, minus the path. */
final class LayerRecord {
    static final String FILE = "layer.json";

    private LayerRecord() {
    }

    static byte[] write(Digest chainId, Digest parent, Digest diffId, long size) {
        return Json.writePretty(JsonObjectBuilder.create()
                .put("chainId", chainId.toString())
                .omitNull("parent", parent == null ? null : parent.toString())
                .put("diffId", diffId.toString())
                .put("size", size)
                .build()).getBytes(StandardCharsets.UTF_8);
    }

    static LayerSnapshot read(byte[] json, Path fsDir, String source) {
        JsonObject o = JsonObject.root(source, Json.parse(new String(json, StandardCharsets.UTF_8), source));
        Digest chainId = Digest.parse(o.string("chainId").orElseThrow(() -> o.error("chainId", "is missing")));
        Digest parent = o.string("parent").map(Digest::parse).orElse(null);
        Digest diffId = Digest.parse(o.string("diffId").orElseThrow(() -> o.error("diffId", "is missing")));
        long size = o.int64("size").orElse(0L);
        return new LayerSnapshot(chainId, parent, diffId, size, fsDir);
    }
}
