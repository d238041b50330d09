package dev.berth.daemon.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's block I/O from its cgroup v1 blkio directory, in docker's stats shape
 * ({@code {"major":8,"minor":0,"op":"Read","value":4096}}, one per line of the file, Total
 * lines included). Files are tried as runc's libcontainer (what dockerd reads through) tries
 * them: BFQ's recursive counters when that scheduler counted anything, else the throttle
 * layer's recursive ones, else its plain ones. Absent files (no blkio hierarchy) give empty lists.
 */
record BlkioCounters(List<Map<String, Object>> serviceBytes, List<Map<String, Object>> serviced) {
    static final BlkioCounters NONE = new BlkioCounters(List.of(), List.of());

    private static final String[][] GROUPS = {
        {"blkio.bfq.io_serviced_recursive", "blkio.bfq.io_service_bytes_recursive"},
        {"blkio.throttle.io_serviced_recursive", "blkio.throttle.io_service_bytes_recursive"},
        {"blkio.throttle.io_serviced", "blkio.throttle.io_service_bytes"},
    };

    static BlkioCounters read(Path cgroupDir) {
        for (String[] group : GROUPS) {
            List<Map<String, Object>> serviced = entries(cgroupDir.resolve(group[0]));
            if (!serviced.isEmpty()) {
                return new BlkioCounters(entries(cgroupDir.resolve(group[1])), serviced);
            }
        }
        return NONE;
    }

    /** "8:0 Read 4096" lines; the closing "Total n" line (two fields) and anything unreadable left out. */
    static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            String[] device = f[0].split(":");
            try {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("major", Long.parseLong(device[0]));
                e.put("minor", Long.parseLong(device[1]));
                e.put("op", f[1]);
                e.put("value", Long.parseLong(f[2]));
                out.add(e);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException bad) {
                // not a device counter
            }
        }
        return out;
    }

    private static List<Map<String, Object>> entries(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
