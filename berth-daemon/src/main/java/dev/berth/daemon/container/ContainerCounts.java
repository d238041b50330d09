package dev.berth.daemon.container;

import dev.berth.daemon.system.SystemRoutes;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.container.Container;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeStore;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine as /info and /system/df see it: container counts, container sizes, volume usage. */
public record ContainerCounts(ContainerEngine engine, ImageService images) implements SystemRoutes.Containers {
    @Override
    public SystemRoutes.Counts counts() {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        List<Container> all = engine.list(true);
        for (Container c : all) {
            switch (c.status()) {
                case RUNNING, RESTARTING -> running++;
                case PAUSED -> paused++;
                default -> stopped++;
            }
        }
        return new SystemRoutes.Counts(all.size(), running, paused, stopped);
    }

    @Override
    public List<Map<String, Object>> diskUsage() {
        List<Map<String, Object>> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (Container c : engine.list(true)) {
            long rw;
            try {
                rw = DirectorySize.of(images.snapshotter().mount(c.id()).upperDir());
            } catch (BerthException e) {
                rw = 0;
            }
            long image = images.find(c.imageId().toString()).map(Image::size).orElse(0L);
            Optional<dev.berth.engine.container.Health> health;
            try {
                health = engine.health(c.id());
            } catch (BerthException e) {
                continue; // removed meanwhile
            }
            rows.add(ContainerWire.summary(c, health, this::volumePath, Optional.of(new ContainerWire.Sizes(rw, rw + image)), now,
                    ContainerNetworkWire.plain()));
        }
        return rows;
    }

    @Override
    public List<Map<String, Object>> volumes() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Volume v : engine.volumeList()) {
            rows.add(VolumeWire.withUsage(v, VolumeStore.size(v), engine.volumeUsers(v.name()).size()));
        }
        return rows;
    }

    private Path volumePath(String name) {
        try {
            return engine.volumeInspect(name).mountpoint();
        } catch (BerthException e) {
            return null;
        }
    }
}
