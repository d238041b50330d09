package dev.berth.cli.output;

import dev.berth.cli.format.TemplateMethod;
import dev.berth.cli.format.Units;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of {@code docker ps}: one per container summary (GET /containers/json), each field
 * rendered as docker's {@code formatter.ContainerContext} renders it. STATUS is the daemon's own
 * text ("Up 3 seconds (healthy)"): the docker CLI prints it as it comes.
 */
public final class ContainerRows {
    public static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    /** docker's {@code --format raw}. */
    public static final String RAW = """
            container_id: {{.ID}}
            image: {{.Image}}
            command: {{.Command}}
            created_at: {{.CreatedAt}}
            state: {{- pad .State 1 0}}
            status: {{- pad .Status 1 0}}
            names: {{.Names}}
            labels: {{- pad .Labels 1 0}}
            ports: {{- pad .Ports 1 0}}
            """;
    public static final Map<String, String> HEADERS = headers();

    private ContainerRows() {}

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ID", "CONTAINER ID");
        h.put("Names", "NAMES");
        h.put("Image", "IMAGE");
        h.put("Command", "COMMAND");
        h.put("CreatedAt", "CREATED AT");
        h.put("RunningFor", "CREATED");
        h.put("Ports", "PORTS");
        h.put("State", "STATE");
        h.put("Status", "STATUS");
        h.put("Size", "SIZE");
        h.put("Labels", "LABELS");
        h.put("Mounts", "MOUNTS");
        h.put("LocalVolumes", "LOCAL VOLUMES");
        h.put("Networks", "NETWORKS");
        h.put("Platform", "PLATFORM");
        return h;
    }

    public static List<Row> rows(List<Map<String, Object>> containers, boolean trunc, Instant now, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> c : containers) {
            rows.add(row(c, trunc, now, zone));
        }
        return rows;
    }

    public static Row row(Map<String, Object> c, boolean trunc, Instant now, ZoneId zone) {
        String id = Fields.string(c.get("Id"));
        long created = Fields.number(c.get("Created"));
        Map<String, String> labels = new TreeMap<>();
        Fields.object(c.get("Labels")).forEach((k, v) -> labels.put(k, Fields.string(v)));
        List<String> labelPairs = new ArrayList<>();
        labels.forEach((k, v) -> labelPairs.add(k + "=" + v));
        return new Row("*formatter.ContainerContext")
                .put("Command", GoText.quote(trunc ? GoText.ellipsis(Fields.string(c.get("Command")), 20)
                        : Fields.string(c.get("Command"))))
                .put("CreatedAt", GoTime.string(created, zone))
                .put("ID", trunc ? Fields.shortId(id) : id)
                .put("Image", image(c, trunc))
                .put("Labels", String.join(",", labelPairs))
                .put("Label", TemplateMethod.ofString("Label", name -> labels.getOrDefault(name, "")))
                .put("LocalVolumes", Long.toString(Fields.objects(c.get("Mounts")).stream()
                        .filter(m -> "local".equals(m.get("Driver"))).count()))
                .put("Mounts", mounts(c, trunc))
                .put("Names", names(Fields.strings(c.get("Names")), trunc))
                .put("Networks", String.join(",", new TreeMap<>(Fields.object(
                        Fields.object(c.get("NetworkSettings")).get("Networks"))).keySet()))
                .put("Platform", platform(c))
                .put("Ports", Ports.display(Fields.objects(c.get("Ports"))))
                .put("RunningFor", GoTime.since(created, now))
                .put("Size", size(Fields.number(c.get("SizeRw")), Fields.number(c.get("SizeRootFs"))))
                .put("State", Fields.string(c.get("State")))
                .put("Status", Fields.string(c.get("Status")));
    }

    /** "12B (virtual 1.99MB)", or only the first when the daemon sent no root size. */
    public static String size(long rw, long rootFs) {
        String writable = Units.humanSize(rw, 3);
        return rootFs > 0 ? writable + " (virtual " + Units.humanSize(rootFs, 3) + ")" : writable;
    }

    /** The image as the container names it: an ID shortened, a reference without its digest. */
    static String image(Map<String, Object> c, boolean trunc) {
        String image = Fields.string(c.get("Image"));
        if (image.isEmpty()) {
            return "<no image>";
        }
        if (!trunc) {
            return image;
        }
        String imageId = Fields.string(c.get("ImageID"));
        if (Fields.shortId(imageId).equals(Fields.shortId(image))) {
            return Fields.shortId(image);
        }
        try {
            ImageName name = ImageName.parse(image);
            return name.tag() != null ? name.familiarName() + ":" + name.tag() : name.familiarName();
        } catch (IllegalArgumentException e) {
            return image;
        }
    }

    /** Names without their leading "/"; truncated, only the first that is not a legacy link name. */
    static String names(List<String> raw, boolean trunc) {
        List<String> names = new ArrayList<>();
        for (String n : raw) {
            names.add(n.startsWith("/") ? n.substring(1) : n);
        }
        if (trunc) {
            for (String n : names) {
                if (n.indexOf('/') < 0) {
                    return n;
                }
            }
        }
        return String.join(",", names);
    }

    private static String mounts(Map<String, Object> c, boolean trunc) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> m : Fields.objects(c.get("Mounts"))) {
            String name = Fields.string(m.get("Name"));
            if (name.isEmpty()) {
                name = Fields.string(m.get("Source"));
            }
            out.add(trunc ? GoText.ellipsis(name, 15) : name);
        }
        return String.join(",", out);
    }

    private static Object platform(Map<String, Object> c) {
        Object p = Fields.object(c.get("ImageManifestDescriptor")).get("platform");
        return p instanceof Map<?, ?> m && !m.isEmpty() ? m : null;
    }
}
