package dev.berth.cli.output;

import dev.berth.cli.format.Units;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code docker system df} from the body of GET /system/df: the summary table and the verbose sections. */
public final class DiskUsage {
    public static final String SUMMARY_TABLE = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    private static final String CONTAINER_TABLE =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";
    private static final String VOLUME_TABLE = "table {{.Name}}\t{{.Links}}\t{{.Size}}";
    private static final String CACHE_TABLE =
            "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}";

    private DiskUsage() {}

    /** The four summary rows: Images, Containers, Local Volumes, Build Cache. */
    public static List<Row> summary(Map<String, Object> df) {
        List<Map<String, Object>> images = Fields.objects(df.get("Images"));
        List<Map<String, Object>> containers = Fields.objects(df.get("Containers"));
        List<Map<String, Object>> volumes = Fields.objects(df.get("Volumes"));
        List<Map<String, Object>> cache = Fields.objects(df.get("BuildCache"));
        List<Row> rows = new ArrayList<>();

        long layersSize = Fields.number(df.get("LayersSize"));
        long imagesActive = 0;
        long imagesUsed = 0;
        for (Map<String, Object> i : images) {
            long n = Fields.number(i.get("Containers"));
            if (n > 0) {
                imagesActive++;
            }
            if (n != 0) {
                long size = Fields.number(i.get("Size"));
                long shared = Fields.number(i.get("SharedSize"));
                if (size != -1 && shared != -1) {
                    imagesUsed += size - shared;
                }
            }
        }
        rows.add(summaryRow("Images", images.size(), imagesActive, layersSize, withPercent(layersSize - imagesUsed, layersSize)));

        long containersSize = 0;
        long containersActive = 0;
        long containersReclaimable = 0;
        for (Map<String, Object> c : containers) {
            long size = Fields.number(c.get("SizeRw"));
            containersSize += size;
            String state = Fields.string(c.get("State")).toLowerCase();
            if (state.equals("running") || state.equals("paused") || state.equals("restarting")) {
                containersActive++;
            } else {
                containersReclaimable += size;
            }
        }
        rows.add(summaryRow("Containers", containers.size(), containersActive, containersSize,
                withPercent(containersReclaimable, containersSize)));

        long volumesSize = 0;
        long volumesActive = 0;
        long volumesReclaimable = 0;
        for (Map<String, Object> v : volumes) {
            Map<String, Object> usage = Fields.object(v.get("UsageData"));
            long size = Fields.number(usage.get("Size"));
            long links = Fields.number(usage.get("RefCount"));
            if (size != -1) {
                volumesSize += size;
            }
            if (links > 0) {
                volumesActive++;
            } else if (size != -1) {
                volumesReclaimable += size;
            }
        }
        rows.add(summaryRow("Local Volumes", volumes.size(), volumesActive, volumesSize,
                withPercent(volumesReclaimable, volumesSize)));

        long cacheSize = 0;
        long cacheActive = 0;
        long cacheInUse = 0;
        for (Map<String, Object> b : cache) {
            boolean shared = Fields.bool(b.get("Shared"));
            boolean inUse = Fields.bool(b.get("InUse"));
            long size = Fields.number(b.get("Size"));
            if (inUse) {
                cacheActive++;
            }
            if (!shared) {
                cacheSize += size;
                if (inUse) {
                    cacheInUse += size;
                }
            }
        }
        rows.add(summaryRow("Build Cache", cache.size(), cacheActive, cacheSize, Units.humanSize(cacheSize - cacheInUse)));
        return rows;
    }

    private static String withPercent(long reclaimable, long total) {
        String size = Units.humanSize(reclaimable);
        return total > 0 ? size + " (" + (reclaimable * 100 / total) + "%)" : size;
    }

    private static Row summaryRow(String type, long total, long active, long size, String reclaimable) {
        return new Row("*formatter.diskUsageImagesContext")
                .put("Type", type)
                .put("TotalCount", Long.toString(total))
                .put("Active", Long.toString(active))
                .put("Size", Units.humanSize(size))
                .put("Reclaimable", reclaimable);
    }

    public static Map<String, String> summaryHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Type", "TYPE");
        h.put("TotalCount", "TOTAL");
        h.put("Active", "ACTIVE");
        h.put("Size", "SIZE");
        h.put("Reclaimable", "RECLAIMABLE");
        return h;
    }

    /** {@code docker system df -v}: one table per kind, each under its title. */
    public static String verbose(Map<String, Object> df, Instant now, ZoneId zone) {
        StringBuilder out = new StringBuilder("Images space usage:\n\n");
        List<Row> images = new ArrayList<>();
        for (Map<String, Object> i : Fields.objects(df.get("Images"))) {
            List<String> tags = Fields.strings(i.get("RepoTags"));
            String repo = "<none>";
            String tag = "<none>";
            if (!tags.isEmpty() && !ImageRows.dangling(tags, Fields.strings(i.get("RepoDigests")))) {
                try {
                    ImageName name = ImageName.parse(tags.getFirst()); // docker shows only the first tag
                    if (name.tag() != null) {
                        repo = name.familiarName();
                        tag = name.tag();
                    }
                } catch (IllegalArgumentException e) {
                    continue;
                }
            }
            images.add(ImageRows.row(i, repo, tag, "", true, now, zone));
        }
        out.append(Listing.render(ImageRows.DF_TABLE, ImageRows.DF_TABLE, ImageRows.HEADERS, images));

        out.append("\nContainers space usage:\n\n");
        List<Row> containers = new ArrayList<>();
        for (Map<String, Object> c : Fields.objects(df.get("Containers"))) {
            List<String> names = new ArrayList<>();
            for (String n : Fields.strings(c.get("Names"))) {
                names.add(n.startsWith("/") ? n.substring(1) : n);
            }
            String command = Fields.string(c.get("Command"));
            containers.add(new Row("*formatter.ContainerContext")
                    .put("ID", Fields.shortId(Fields.string(c.get("Id"))))
                    .put("Image", Fields.string(c.get("Image")))
                    .put("Command", "\"" + HistoryRows.ellipsis(command, 20) + "\"")
                    .put("LocalVolumes", Long.toString(Fields.objects(c.get("Mounts")).size()))
                    .put("Size", Units.humanSize(Fields.number(c.get("SizeRw")), 3))
                    .put("RunningFor", GoTime.since(Fields.number(c.get("Created")), now))
                    .put("Status", Fields.string(c.get("Status")))
                    .put("Names", String.join(",", names)));
        }
        out.append(Listing.render(CONTAINER_TABLE, CONTAINER_TABLE, containerHeaders(), containers));

        out.append("\nLocal Volumes space usage:\n\n");
        List<Row> volumes = new ArrayList<>();
        for (Map<String, Object> v : Fields.objects(df.get("Volumes"))) {
            Map<String, Object> usage = Fields.object(v.get("UsageData"));
            long size = Fields.number(usage.get("Size"));
            volumes.add(new Row("*formatter.volumeContext")
                    .put("Name", Fields.string(v.get("Name")))
                    .put("Links", Long.toString(Fields.number(usage.get("RefCount"))))
                    .put("Size", size == -1 ? "N/A" : Units.humanSize(size)));
        }
        out.append(Listing.render(VOLUME_TABLE, VOLUME_TABLE, volumeHeaders(), volumes));

        List<Map<String, Object>> cache = Fields.objects(df.get("BuildCache"));
        long builderSize = 0;
        for (Map<String, Object> b : cache) {
            if (!Fields.bool(b.get("Shared"))) {
                builderSize += Fields.number(b.get("Size"));
            }
        }
        if (cache.isEmpty()) {
            builderSize = Fields.number(df.get("BuilderSize"));
        }
        out.append("\nBuild cache usage: ").append(Units.humanSize(builderSize)).append("\n\n");
        List<Row> caches = new ArrayList<>();
        for (Map<String, Object> b : cache) {
            caches.add(new Row("*formatter.buildCacheContext")
                    .put("ID", Fields.shortId(Fields.string(b.get("ID"))))
                    .put("CacheType", Fields.string(b.get("Type")))
                    .put("Size", Units.humanSize(Fields.number(b.get("Size"))))
                    .put("CreatedSince", Fields.string(b.get("CreatedAt")))
                    .put("LastUsedSince", Fields.string(b.get("LastUsedAt")))
                    .put("UsageCount", Long.toString(Fields.number(b.get("UsageCount"))))
                    .put("Shared", Boolean.toString(Fields.bool(b.get("Shared")))));
        }
        out.append(Listing.render(CACHE_TABLE, CACHE_TABLE, cacheHeaders(), caches));
        return out.toString();
    }

    private static Map<String, String> containerHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ID", "CONTAINER ID");
        h.put("Image", "IMAGE");
        h.put("Command", "COMMAND");
        h.put("LocalVolumes", "LOCAL VOLUMES");
        h.put("Size", "SIZE");
        h.put("RunningFor", "CREATED");
        h.put("Status", "STATUS");
        h.put("Names", "NAMES");
        return h;
    }

    private static Map<String, String> volumeHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Name", "VOLUME NAME");
        h.put("Links", "LINKS");
        h.put("Size", "SIZE");
        return h;
    }

    private static Map<String, String> cacheHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ID", "CACHE ID");
        h.put("CacheType", "CACHE TYPE");
        h.put("Size", "SIZE");
        h.put("CreatedSince", "CREATED");
        h.put("LastUsedSince", "LAST USED");
        h.put("UsageCount", "USAGE");
        h.put("Shared", "SHARED");
        return h;
    }

}
