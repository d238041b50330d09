package dev.berth.cli.output;

import dev.berth.cli.format.Units;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code docker images}: one per repository:tag (and per digest with --digests),
 * {@code <none>} for untagged images, fields rendered as docker's imageContext renders them.
 */
public final class ImageRows {
    public static final String DEFAULT_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public static final String DIGEST_TABLE =
            "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public static final String DF_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
            + "\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
    public static final Map<String, String> HEADERS = headers();

    private ImageRows() {}

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ID", "IMAGE ID");
        h.put("Repository", "REPOSITORY");
        h.put("Tag", "TAG");
        h.put("Digest", "DIGEST");
        h.put("CreatedSince", "CREATED");
        h.put("CreatedAt", "CREATED AT");
        h.put("Size", "SIZE");
        h.put("Containers", "CONTAINERS");
        h.put("VirtualSize", "SIZE"); // docker reuses the SIZE header
        h.put("SharedSize", "SHARED SIZE");
        h.put("UniqueSize", "UNIQUE SIZE");
        return h;
    }

    /** The rows for image summaries (the objects of GET /images/json), in the daemon's order. */
    public static List<Row> rows(List<Map<String, Object>> images, boolean digests, boolean trunc, Instant now, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> image : images) {
            List<String> repoTags = Fields.strings(image.get("RepoTags"));
            List<String> repoDigests = Fields.strings(image.get("RepoDigests"));
            if (dangling(repoTags, repoDigests)) {
                rows.add(row(image, "<none>", "<none>", "<none>", trunc, now, zone));
                continue;
            }
            Map<String, List<String>> tagsByRepo = new LinkedHashMap<>();
            for (String ref : repoTags) {
                try {
                    ImageName name = ImageName.parse(ref);
                    if (name.tag() != null) {
                        tagsByRepo.computeIfAbsent(name.familiarName(), k -> new ArrayList<>()).add(name.tag());
                    }
                } catch (IllegalArgumentException skipped) {
                    // docker skips references it cannot parse
                }
            }
            Map<String, List<String>> digestsByRepo = new LinkedHashMap<>();
            for (String ref : repoDigests) {
                try {
                    ImageName name = ImageName.parse(ref);
                    if (name.digest() != null) {
                        digestsByRepo.computeIfAbsent(name.familiarName(), k -> new ArrayList<>()).add(name.digest());
                    }
                } catch (IllegalArgumentException skipped) {
                    // as above
                }
            }
            for (Map.Entry<String, List<String>> e : tagsByRepo.entrySet()) {
                List<String> repoDigestList = digestsByRepo.remove(e.getKey());
                for (String tag : e.getValue()) {
                    if (!digests || repoDigestList == null || repoDigestList.isEmpty()) {
                        rows.add(row(image, e.getKey(), tag, "<none>", trunc, now, zone));
                    } else {
                        for (String d : repoDigestList) {
                            rows.add(row(image, e.getKey(), tag, d, trunc, now, zone));
                        }
                    }
                }
            }
            for (Map.Entry<String, List<String>> e : digestsByRepo.entrySet()) {
                if (digests) {
                    for (String d : e.getValue()) {
                        rows.add(row(image, e.getKey(), "<none>", d, trunc, now, zone));
                    }
                } else {
                    rows.add(row(image, e.getKey(), "<none>", "", trunc, now, zone));
                }
            }
        }
        return rows;
    }

    /** Untagged and undigested, or the old daemons' "&lt;none&gt;:&lt;none&gt;" placeholders. */
    public static boolean dangling(List<String> repoTags, List<String> repoDigests) {
        if (repoTags.isEmpty() && repoDigests.isEmpty()) {
            return true;
        }
        return repoTags.size() == 1 && repoTags.getFirst().equals("<none>:<none>") && repoDigests.size() == 1
                && repoDigests.getFirst().equals("<none>@<none>");
    }

    /** One row; also used by {@code system df -v}. */
    public static Row row(Map<String, Object> image, String repo, String tag, String digest, boolean trunc, Instant now,
            ZoneId zone) {
        long created = Fields.number(image.get("Created"));
        long size = Fields.number(image.get("Size"));
        long virtualSize = image.containsKey("VirtualSize") ? Fields.number(image.get("VirtualSize")) : size;
        long shared = image.containsKey("SharedSize") ? Fields.number(image.get("SharedSize")) : -1;
        long containers = image.containsKey("Containers") ? Fields.number(image.get("Containers")) : -1;
        String id = Fields.string(image.get("Id"));
        return new Row("*formatter.imageContext")
                .put("ID", trunc ? Fields.shortId(id) : id)
                .put("Repository", repo)
                .put("Tag", tag)
                .put("Digest", digest)
                .put("CreatedSince", GoTime.since(created, now))
                .put("CreatedAt", GoTime.string(created, zone))
                .put("Size", Units.humanSize(size, 3))
                .put("Containers", containers == -1 ? "N/A" : Long.toString(containers))
                .put("VirtualSize", Units.humanSize(virtualSize))
                .put("SharedSize", shared == -1 ? "N/A" : Units.humanSize(shared))
                .put("UniqueSize", shared == -1 ? "N/A" : Units.humanSize(size - shared));
    }
}
