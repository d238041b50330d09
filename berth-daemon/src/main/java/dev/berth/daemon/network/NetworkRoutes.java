package dev.berth.daemon.network;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.container.PruneFilter;
import dev.berth.daemon.events.EventBus;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network routes over the engine's network manager: create, list, inspect, rm, prune,
 * connect and disconnect. The network events (create, destroy, connect, disconnect) come from
 * the engine (Daemon publishes them); prune's own "prune" event is published here, as dockerd
 * does after each prune.
 */
public final class NetworkRoutes implements Router.Service {
    private static final int MAX_BODY = 1 << 20;

    private final ContainerEngine engine;
    private final EventBus events;

    public NetworkRoutes(ContainerEngine engine, EventBus events) {
        this.engine = engine;
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.get("/networks", this::list)
                .post("/networks/create", this::create)
                .post("/networks/prune", this::prune)
                .get("/networks/{id}", this::inspect)
                .delete("/networks/{id}", this::remove)
                .post("/networks/{id}/connect", this::connect)
                .post("/networks/{id}/disconnect", this::disconnect);
    }

    private static JsonObject body(ApiCall call) throws Exception {
        String text;
        try (InputStream in = call.body()) {
            text = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
        return JsonObject.root("request body", text.isBlank() ? Map.of() : Json.parse(text, "request body"));
    }

    private void create(ApiCall call) throws Exception {
        Network n = engine.networkCreate(NetworkCreateBody.read(body(call)));
        call.json(201, NetworkWire.created(n.id(), ""));
    }

    private void list(ApiCall call) throws Exception {
        NetworkFilters filters = new NetworkFilters(call.filters());
        List<Network> networks = new ArrayList<>(engine.networkList());
        networks.sort(Comparator.comparing(Network::name).thenComparing(Network::id));
        List<Object> out = new ArrayList<>();
        for (Network n : networks) {
            boolean inUse = filters.needsUse() && !engine.networkEndpoints(n.id()).isEmpty();
            if (filters.matches(n, inUse)) {
                out.add(NetworkWire.network(n, Map.of(), call.version()));
            }
        }
        call.json(out);
    }

    /** {@code scope} other than local finds nothing (berthd has no swarm networks); {@code verbose} adds nothing for them. */
    private void inspect(ApiCall call) throws Exception {
        String id = call.path("id");
        String scope = call.query("scope").orElse("");
        if (!scope.isEmpty() && !scope.equals("local")) {
            throw BerthException.notFound("network " + id + " not found");
        }
        Network n = engine.networkInspect(id);
        call.json(NetworkWire.network(n, attached(n), call.version()));
    }

    /** The containers on a network with their names; one removed meanwhile is left out. */
    private Map<String, NetworkWire.Attached> attached(Network n) {
        Map<String, NetworkWire.Attached> out = new LinkedHashMap<>();
        for (Map.Entry<String, EndpointSettings> e : engine.networkEndpoints(n.id()).entrySet()) {
            try {
                out.put(e.getKey(), new NetworkWire.Attached(engine.inspect(e.getKey()).name().bare(), e.getValue()));
            } catch (BerthException gone) {
                if (gone.kind() != BerthException.Kind.NOT_FOUND) {
                    throw gone;
                }
            }
        }
        return out;
    }

    private void remove(ApiCall call) throws Exception {
        engine.networkRemove(call.path("id"));
        call.status(204);
    }

    /**
     * docker network prune: the user-defined networks no container uses, narrowed by
     * {@code until} and {@code label}/{@code label!}; one that gains a container meanwhile stays.
     */
    private void prune(ApiCall call) throws Exception {
        PruneFilter filter = PruneFilter.of(call.filters());
        List<String> deleted = new ArrayList<>();
        List<Network> networks = new ArrayList<>(engine.networkList());
        networks.sort(Comparator.comparing(Network::created));
        for (Network n : networks) {
            if (NetworkCreateBody.PREDEFINED.contains(n.name()) || !filter.matches(n.created(), n.labels())
                    || !engine.networkEndpoints(n.id()).isEmpty()) {
                continue;
            }
            try {
                engine.networkRemove(n.id());
                deleted.add(n.name());
            } catch (BerthException e) {
                if (e.kind() != BerthException.Kind.CONFLICT && e.kind() != BerthException.Kind.NOT_FOUND
                        && e.kind() != BerthException.Kind.FAILED_PRECONDITION) {
                    throw e;
                }
            }
        }
        events.publish("network", "prune", "", Map.of("reclaimed", "0"));
        call.json(JsonObjectBuilder.create().put("NetworksDeleted", deleted.isEmpty() ? null : deleted).build());
    }

    private void connect(ApiCall call) throws Exception {
        String network = call.path("id");
        JsonObject o = body(call);
        String container = container(o);
        EndpointSettings requested = o.object("EndpointConfig").map(e -> EndpointBody.read(network, e))
                .orElseGet(() -> EndpointSettings.requested(network, "", "", List.of()));
        engine.networkConnect(network, container, requested);
        call.status(200);
    }

    private void disconnect(ApiCall call) throws Exception {
        JsonObject o = body(call);
        engine.networkDisconnect(call.path("id"), container(o), o.bool("Force").orElse(false));
        call.status(200);
    }

    private static String container(JsonObject o) {
        String c = o.string("Container").orElse("").trim();
        if (c.isEmpty()) {
            throw BerthException.invalid("invalid name or ID supplied: \"\""); // dockerd's words
        }
        return c;
    }
}
