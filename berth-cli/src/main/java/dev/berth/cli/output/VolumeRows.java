package dev.berth.cli.output;

import dev.berth.cli.format.TemplateMethod;
import dev.berth.cli.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of {@code docker volume ls} ({@code formatter.volumeContext}), sorted by name in
 * natural order ("v2" before "v10") as docker sorts them. Swarm cluster fields read "N/A".
 */
public final class VolumeRows {
    public static final String DEFAULT_TABLE = "table {{.Driver}}\t{{.Name}}";
    public static final Map<String, String> HEADERS = headers();

    private VolumeRows() {}

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Name", "VOLUME NAME");
        h.put("Group", "GROUP");
        h.put("Driver", "DRIVER");
        h.put("Scope", "SCOPE");
        h.put("Availability", "AVAILABILITY");
        h.put("Mountpoint", "MOUNTPOINT");
        h.put("Labels", "LABELS");
        h.put("Links", "LINKS");
        h.put("Size", "SIZE");
        h.put("Status", "STATUS");
        return h;
    }

    public static List<Row> rows(List<Map<String, Object>> volumes) {
        List<Map<String, Object>> sorted = new ArrayList<>(volumes);
        sorted.sort((a, b) -> NaturalOrder.compare(Fields.string(a.get("Name")), Fields.string(b.get("Name"))));
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> v : sorted) {
            rows.add(row(v));
        }
        return rows;
    }

    public static Row row(Map<String, Object> v) {
        Map<String, String> labels = new TreeMap<>();
        Fields.object(v.get("Labels")).forEach((k, value) -> labels.put(k, Fields.string(value)));
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, value) -> pairs.add(k + "=" + value));
        Object usage = v.get("UsageData");
        Map<String, Object> usageData = Fields.object(usage);
        boolean cluster = v.get("ClusterVolume") instanceof Map<?, ?>;
        Map<String, Object> clusterVolume = Fields.object(v.get("ClusterVolume"));
        return new Row("*formatter.volumeContext")
                .put("Availability", cluster ? Fields.string(Fields.object(clusterVolume.get("Spec")).get("Availability"))
                        : "N/A")
                .put("Driver", Fields.string(v.get("Driver")))
                .put("Group", cluster ? Fields.string(Fields.object(clusterVolume.get("Spec")).get("Group")) : "N/A")
                .put("Label", TemplateMethod.ofString("Label", name -> labels.getOrDefault(name, "")))
                .put("Labels", String.join(",", pairs))
                .put("Links", usage instanceof Map<?, ?> ? Long.toString(Fields.number(usageData.get("RefCount"))) : "N/A")
                .put("Mountpoint", Fields.string(v.get("Mountpoint")))
                .put("Name", Fields.string(v.get("Name")))
                .put("Scope", Fields.string(v.get("Scope")))
                .put("Size", usage instanceof Map<?, ?> ? Units.humanSize(Fields.number(usageData.get("Size"))) : "N/A")
                .put("Status", cluster ? "" : "N/A");
    }
}
