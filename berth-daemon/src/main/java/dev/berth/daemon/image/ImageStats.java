package dev.berth.daemon.image;

import dev.berth.daemon.system.SystemRoutes;
import dev.berth.image.store.DiskUsage;
import dev.berth.image.store.ImageService;
import dev.berth.oci.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The image service as /info and /system/df see it. */
public record ImageStats(ImageService images) implements SystemRoutes.Images {
    @Override
    public int count() {
        return images.list(Map.of()).size();
    }

    @Override
    public SystemRoutes.DiskUsage diskUsage() {
        DiskUsage usage = images.diskUsage();
        List<Map<String, Object>> rows = usage.images().stream().map(u -> JsonObjectBuilder.create()
                .put("Containers", (long) u.containers())
                .put("Created", u.image().created().map(Instant::getEpochSecond).orElse(0L))
                .put("Id", u.image().id().toString())
                .put("Labels", u.image().config().config().labels().isEmpty() ? null : u.image().config().config().labels())
                .put("ParentId", "")
                .put("RepoDigests", u.image().familiarRepoDigests())
                .put("RepoTags", u.image().familiarRepoTags())
                .put("SharedSize", u.sharedSize())
                .put("Size", u.image().size())
                .build()).toList();
        return new SystemRoutes.DiskUsage(usage.layersSize(), rows);
    }
}
