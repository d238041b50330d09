package dev.berth.cli.output;

import java.util.LinkedHashMap;
import java.util.Map;

/** docker stats' table: its default columns and header names (Linux daemons). */
public final class StatsRows {
    public static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    public static final Map<String, String> HEADERS = headers();

    private StatsRows() {}

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Container", "CONTAINER");
        h.put("Name", "NAME");
        h.put("ID", "CONTAINER ID");
        h.put("CPUPerc", "CPU %");
        h.put("MemUsage", "MEM USAGE / LIMIT");
        h.put("MemPerc", "MEM %");
        h.put("NetIO", "NET I/O");
        h.put("BlockIO", "BLOCK I/O");
        h.put("PIDs", "PIDS");
        return h;
    }
}
