package dev.berth.cli.output;

import dev.berth.cli.format.TemplateMethod;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of {@code docker network ls} ({@code network.networkContext}), sorted by name in
 * natural order as docker sorts them. Labels are joined in sorted order (docker prints a Go map's
 * order); CreatedAt is Go's {@code time.Time.String()} of the daemon's Created.
 */
public final class NetworkRows {
    public static final String DEFAULT_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    /** docker's {@code --format raw}. */
    public static final String RAW = "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n";
    public static final Map<String, String> HEADERS = headers();

    private NetworkRows() {}

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ID", "NETWORK ID");
        h.put("Name", "NAME");
        h.put("Driver", "DRIVER");
        h.put("Scope", "SCOPE");
        h.put("IPv4", "IPV4");
        h.put("IPv6", "IPV6");
        h.put("Internal", "INTERNAL");
        h.put("Labels", "LABELS");
        h.put("CreatedAt", "CREATED AT");
        return h;
    }

    public static List<Row> rows(List<Map<String, Object>> networks, boolean trunc, ZoneId zone) {
        List<Map<String, Object>> sorted = new ArrayList<>(networks);
        sorted.sort((a, b) -> NaturalOrder.compare(Fields.string(a.get("Name")), Fields.string(b.get("Name"))));
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> n : sorted) {
            rows.add(row(n, trunc, zone));
        }
        return rows;
    }

    public static Row row(Map<String, Object> n, boolean trunc, ZoneId zone) {
        String id = Fields.string(n.get("Id"));
        Map<String, String> labels = new TreeMap<>();
        Fields.object(n.get("Labels")).forEach((k, v) -> labels.put(k, Fields.string(v)));
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=" + v));
        return new Row("*network.networkContext")
                .put("CreatedAt", goString(Fields.string(n.get("Created")), zone))
                .put("Driver", Fields.string(n.get("Driver")))
                .put("ID", trunc ? Fields.shortId(id) : id)
                .put("IPv4", Boolean.toString(Fields.bool(n.get("EnableIPv4"))))
                .put("IPv6", Boolean.toString(Fields.bool(n.get("EnableIPv6"))))
                .put("Internal", Boolean.toString(Fields.bool(n.get("Internal"))))
                .put("Label", TemplateMethod.ofString("Label", name -> labels.getOrDefault(name, "")))
                .put("Labels", String.join(",", pairs))
                .put("Name", Fields.string(n.get("Name")))
                .put("Scope", Fields.string(n.get("Scope")));
    }

    /**
     * Go's {@code time.Time.String()} of an RFC 3339 time as encoding/json decodes it: "Z" is UTC,
     * the local zone's offset is the local zone, any other offset a zone without a name.
     */
    static String goString(String rfc3339, ZoneId local) {
        if (rfc3339.isEmpty()) {
            return "0001-01-01 00:00:00 +0000 UTC";
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return rfc3339;
        }
        StringBuilder s = new StringBuilder(t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)));
        if (t.getNano() != 0) {
            String nanos = String.format(Locale.ROOT, "%09d", t.getNano()).replaceAll("0+$", "");
            s.append('.').append(nanos);
        }
        String offset = t.format(DateTimeFormatter.ofPattern("xx", Locale.ROOT));
        s.append(' ').append(offset).append(' ');
        if (rfc3339.endsWith("Z") || rfc3339.endsWith("z")) {
            s.append("UTC");
        } else if (ZonedDateTime.ofInstant(t.toInstant(), local).getOffset().equals(t.getOffset())) {
            s.append(ZonedDateTime.ofInstant(t.toInstant(), local).format(DateTimeFormatter.ofPattern("z", Locale.ROOT)));
        } else {
            s.append(offset);
        }
        return s.toString();
    }
}
