package dev.berth.daemon.container;

import dev.berth.daemon.api.Filters;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.Health;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Status;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * docker ps's filters (dockerd's daemon/list.go): id, name (regular expressions, as dockerd
 * matches them), label, status, exited, ancestor, before, since, volume, health, network,
 * is-task, publish and expose (a port, port/proto or a range, matched against the list's Ports:
 * published host ports and container ports), isolation. network matches a network the
 * container is on by name or id, or its mode (none, host). Bad values are refused before
 * anything is listed.
 */
final class ContainerFilters {
    static final List<String> ACCEPTED = List.of("id", "name", "label", "status", "exited", "ancestor", "before", "since",
            "volume", "health", "network", "is-task", "publish", "expose", "isolation");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");
    private static final Set<String> HEALTH = Set.of(Health.STARTING, Health.HEALTHY, Health.UNHEALTHY, "none");

    private final Filters filters;
    private final List<Pattern> ids;
    private final List<Pattern> names;
    private final Set<Integer> exited = new HashSet<>();
    private final Set<String> ancestors = new HashSet<>();
    private final Instant before;
    private final Instant since;
    private final boolean taskOnly;
    private final Set<String> publish;
    private final Set<String> expose;

    ContainerFilters(Filters filters, ContainerEngine engine, ImageService images) {
        this.filters = filters.validate(ACCEPTED);
        this.ids = patterns("id");
        this.names = patterns("name");
        for (String s : filters.get("status")) {
            if (!STATUSES.contains(s)) {
                throw BerthException.invalid("invalid filter 'status=" + s + "'");
            }
        }
        for (String h : filters.get("health")) {
            if (!HEALTH.contains(h)) {
                throw BerthException.invalid("Unrecognised filter value for health: " + h);
            }
        }
        for (String e : filters.get("exited")) {
            try {
                exited.add(Integer.parseInt(e));
            } catch (NumberFormatException x) {
                throw BerthException.invalid("invalid filter 'exited=" + e + "'");
            }
        }
        boolean task = false;
        for (String t : filters.get("is-task")) {
            if (!t.equals("true") && !t.equals("false")) {
                throw BerthException.invalid("invalid filter 'is-task=" + t + "'");
            }
            task |= t.equals("true");
        }
        taskOnly = task;
        publish = ports("publish");
        expose = ports("expose");
        for (String a : filters.get("ancestor")) {
            ancestors.add(a);
            images.find(a).map(Image::id).ifPresent(id -> ancestors.add(id.toString()));
        }
        before = filters.get("before").stream().map(v -> engine.inspect(v).created()).min(Instant::compareTo).orElse(null);
        since = filters.get("since").stream().map(v -> engine.inspect(v).created()).max(Instant::compareTo).orElse(null);
    }

    private List<Pattern> patterns(String name) {
        return filters.get(name).stream().map(v -> {
            try {
                return Pattern.compile(v);
            } catch (PatternSyntaxException e) {
                throw BerthException.invalid("invalid filter '" + name + "=" + v + "': " + e.getDescription());
            }
        }).toList();
    }

    /** dockerd's portOp: "80", "80/udp" or "8000-8001/tcp", each port of a range as its own key. */
    private Set<String> ports(String name) {
        Set<String> out = new HashSet<>();
        for (String v : filters.get(name)) {
            String proto = v.contains("/") ? v.substring(v.indexOf('/') + 1) : "tcp";
            String range = v.contains("/") ? v.substring(0, v.indexOf('/')) : v;
            int[] r;
            try {
                r = dev.berth.engine.network.PortKeys.range(range);
            } catch (BerthException e) {
                throw BerthException.invalid("invalid filter '" + name + "=" + v + "'");
            }
            if (r[0] == 0 || !(proto.equals("tcp") || proto.equals("udp") || proto.equals("sctp"))) {
                throw BerthException.invalid("invalid filter '" + name + "=" + v + "'");
            }
            for (int p = r[0]; p <= r[1]; p++) {
                out.add(p + "/" + proto);
            }
        }
        return out;
    }

    private boolean onNetwork(Container c) {
        for (String want : filters.get("network")) {
            if (c.networks().isEmpty() && want.equals(c.hostConfig().networkMode())) {
                return true;
            }
            for (var e : c.networks().entrySet()) {
                if (e.getKey().equals(want) || !e.getValue().networkId().isEmpty() && e.getValue().networkId().startsWith(want)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** As dockerd: one of the list's Ports has a wanted public port, or a wanted private one. */
    private boolean hasPort(Container c) {
        for (Object o : ContainerNetworkWire.portList(c)) {
            java.util.Map<?, ?> port = (java.util.Map<?, ?>) o;
            String type = (String) port.get("Type");
            if (port.get("PublicPort") != null && publish.contains(port.get("PublicPort") + "/" + type)) {
                return true;
            }
            if (expose.contains(port.get("PrivatePort") + "/" + type)) {
                return true;
            }
        }
        return false;
    }

    /** A status filter lists stopped containers too, as dockerd's does. */
    boolean impliesAll() {
        return filters.has("status") || filters.has("exited");
    }

    boolean matches(Container c, Optional<Health> health) {
        if (taskOnly) {
            return false; // no swarm tasks on berth
        }
        if (!ids.isEmpty() && ids.stream().noneMatch(p -> p.matcher(c.id()).find())) {
            return false;
        }
        if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher(c.name().value()).find()
                || p.matcher(c.name().bare()).find())) {
            return false;
        }
        if (!filters.matchesLabels("label", c.config().labels())) {
            return false;
        }
        if (!filters.matchesAny("status", c.status().word())) {
            return false;
        }
        if (!exited.isEmpty() && (c.status() != Status.EXITED || !exited.contains(c.state().exitCode()))) {
            return false;
        }
        if (!ancestors.isEmpty() && !ancestors.contains(c.imageId().toString()) && !ancestors.contains(c.config().image())) {
            return false;
        }
        if (before != null && !c.created().isBefore(before)) {
            return false;
        }
        if (since != null && !c.created().isAfter(since)) {
            return false;
        }
        if (filters.has("volume") && c.hostConfig().allMounts().stream().noneMatch(m ->
                filters.get("volume").contains(m.target())
                        || (m.type() == MountSpec.Type.VOLUME || m.type() == MountSpec.Type.BIND)
                        && filters.get("volume").contains(m.source()))) {
            return false;
        }
        if (!filters.matchesAny("health", health.map(Health::status).orElse("none"))) {
            return false;
        }
        if (filters.has("network") && !onNetwork(c)) {
            return false;
        }
        if ((!publish.isEmpty() || !expose.isEmpty()) && !hasPort(c)) {
            return false;
        }
        return filters.matchesAny("isolation", "default", "");
    }
}
