package dev.berth.cli.output;

import dev.berth.cli.format.Units;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows of {@code docker history}, rendered as docker's historyContext renders them. */
public final class HistoryRows {
    public static final String HUMAN_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    public static final String NON_HUMAN_TABLE = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    public static final Map<String, String> HEADERS = headers();

    private HistoryRows() {}

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ID", "IMAGE");
        h.put("CreatedSince", "CREATED");
        h.put("CreatedAt", "CREATED AT");
        h.put("CreatedBy", "CREATED BY");
        h.put("Size", "SIZE");
        h.put("Comment", "COMMENT");
        return h;
    }

    public static List<Row> rows(List<Map<String, Object>> history, boolean human, boolean trunc, Instant now, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> layer : history) {
            String id = Fields.string(layer.get("Id"));
            long created = Fields.number(layer.get("Created"));
            long size = Fields.number(layer.get("Size"));
            String createdBy = Fields.string(layer.get("CreatedBy")).replace("\t", " ");
            String createdAt = GoTime.rfc3339(created, zone);
            String since = !human ? createdAt : created <= 0 ? "N/A" : GoTime.since(created, now);
            rows.add(new Row("*image.historyContext")
                    .put("ID", id.equals("<missing>") || !trunc ? id : Fields.shortId(id))
                    .put("CreatedSince", since)
                    .put("CreatedAt", createdAt)
                    .put("CreatedBy", trunc ? ellipsis(createdBy, 45) : createdBy)
                    .put("Size", human ? Units.humanSize(size, 3) : Long.toString(size))
                    .put("Comment", Fields.string(layer.get("Comment"))));
        }
        return rows;
    }

    /** docker's {@code formatter.Ellipsis}: at most {@code max} columns, the last one "…" when cut. */
    public static String ellipsis(String s, int max) {
        int count = s.codePointCount(0, s.length());
        if (count <= max) {
            return s;
        }
        int end = s.offsetByCodePoints(0, max - 1);
        return s.substring(0, end) + "…";
    }
}
