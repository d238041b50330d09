package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.Filters;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The volume routes over the engine's local driver: create, list, inspect, rm, prune, with
 * dockerd's volume events (create, destroy). The local driver's options (DriverOpts type,
 * device, o: a tmpfs, a bind, a device) are the engine's to check and mount; other drivers do
 * not exist.
 */
public final class VolumeRoutes implements Router.Service {
    private final ContainerEngine engine;
    private final EventBus events;

    public VolumeRoutes(ContainerEngine engine, EventBus events) {
        this.engine = engine;
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.post("/volumes/create", this::create)
                .get("/volumes", this::list)
                .post("/volumes/prune", this::prune)
                .get("/volumes/{name}", call -> call.json(VolumeWire.volume(engine.volumeInspect(call.path("name")))))
                .delete("/volumes/{name}", this::remove);
    }

    private void create(ApiCall call) throws Exception {
        String text;
        try (InputStream in = call.body()) {
            text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
        JsonObject o = JsonObject.root("request body", text.isBlank() ? Map.of() : Json.parse(text, "request body"));
        String driver = o.string("Driver").orElse("");
        if (!driver.isEmpty() && !driver.equals(Volume.DRIVER)) {
            throw BerthException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        Map<String, String> opts = o.stringMap("DriverOpts");
        String name = o.string("Name").orElse("");
        boolean existed = !name.isEmpty() && engine.volumeList().stream().anyMatch(v -> v.name().equals(name));
        Volume v = engine.volumeCreate(Optional.of(name).filter(n -> !n.isEmpty()), o.stringMap("Labels"), opts);
        if (!existed) {
            events.publish("volume", "create", v.name(), Map.of("driver", Volume.DRIVER));
        }
        call.json(201, VolumeWire.volume(v));
    }

    private void list(ApiCall call) throws Exception {
        Filters filters = call.filters().validate(List.of("dangling", "name", "label", "driver"));
        Boolean dangling = null;
        for (String d : filters.get("dangling")) {
            dangling = switch (d.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw BerthException.invalid("invalid filter 'dangling=" + d + "'");
            };
        }
        List<Pattern> names = new ArrayList<>();
        for (String n : filters.get("name")) {
            try {
                names.add(Pattern.compile(n));
            } catch (PatternSyntaxException e) {
                throw BerthException.invalid("invalid filter 'name=" + n + "'");
            }
        }
        List<Object> out = new ArrayList<>();
        List<Volume> volumes = engine.volumeList();
        volumes.sort(Comparator.comparing(Volume::name));
        for (Volume v : volumes) {
            if (dangling != null && dangling != engine.volumeUsers(v.name()).isEmpty()) {
                continue;
            }
            if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher(v.name()).find())) {
                continue;
            }
            if (!filters.matchesLabels("label", v.labels()) || !filters.matchesAny("driver", Volume.DRIVER)) {
                continue;
            }
            out.add(VolumeWire.volume(v));
        }
        call.json(JsonObjectBuilder.create().put("Volumes", out).put("Warnings", List.of()).build());
    }

    private void remove(ApiCall call) throws Exception {
        String name = call.path("name");
        if (call.flag("force") && engine.volumeList().stream().noneMatch(v -> v.name().equals(name))) {
            call.status(204); // docker volume rm -f of a missing volume is not an error
            return;
        }
        engine.volumeRemove(name, call.flag("force"));
        events.publish("volume", "destroy", name, Map.of("driver", Volume.DRIVER));
        call.status(204);
    }

    /**
     * docker volume prune: unused anonymous volumes, or every unused one with all=true (the
     * API's filter since 1.42), narrowed by label / label!.
     */
    private void prune(ApiCall call) throws Exception {
        Filters filters = call.filters();
        PruneFilter filter = PruneFilter.of(filters.validate(List.of("label", "label!", "all")), "all");
        if (filter.until() != null) {
            throw BerthException.invalid("invalid filter 'until'");
        }
        // before API 1.42 prune took every unused volume; since then only anonymous ones unless all=true
        boolean all = !call.version().atLeast(1, 42)
                || filters.get("all").stream().anyMatch(v -> v.equals("true") || v.equals("1"));
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Volume v : engine.volumeList()) {
            if (!(all || v.anonymous()) || !filter.matches(v.createdAt(), v.labels()) || !engine.volumeUsers(v.name()).isEmpty()) {
                continue;
            }
            long size = VolumeStore.size(v);
            try {
                engine.volumeRemove(v.name(), false);
            } catch (BerthException e) {
                continue; // taken by a container meanwhile
            }
            deleted.add(v.name());
            reclaimed += size;
            events.publish("volume", "destroy", v.name(), Map.of("driver", Volume.DRIVER));
        }
        call.json(JsonObjectBuilder.create()
                .put("VolumesDeleted", deleted.isEmpty() ? null : deleted)
                .put("SpaceReclaimed", reclaimed)
                .build());
    }
}
