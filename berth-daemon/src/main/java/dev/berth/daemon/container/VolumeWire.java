package dev.berth.daemon.container;

import dev.berth.engine.container.ContainerJson;
import dev.berth.engine.volume.Volume;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** A volume as the API shows it (docker's Volume object); UsageData only for /system/df. */
final class VolumeWire {
    private VolumeWire() {}

    static Map<String, Object> volume(Volume v) {
        return JsonObjectBuilder.create()
                .put("CreatedAt", ContainerJson.time(v.createdAt().truncatedTo(ChronoUnit.SECONDS))) // dockerd: RFC 3339 to the second
                .put("Driver", Volume.DRIVER)
                .put("Labels", v.labels().isEmpty() ? null : Json.sortedByKey(v.labels()))
                .put("Mountpoint", v.mountpoint().toString())
                .put("Name", v.name())
                .put("Options", v.options().mounted() ? Json.sortedByKey(v.options().values()) : null)
                .put("Scope", "local")
                .build();
    }

    static Map<String, Object> withUsage(Volume v, long size, long refCount) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(volume(v));
        out.put("UsageData", Map.of("Size", size, "RefCount", refCount));
        return out;
    }
}
