package dev.berth.daemon.events;

import dev.berth.daemon.api.Filters;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** dockerd's /events filters: every named filter must take the event. */
public final class EventFilter implements Predicate<Event> {
    public static final List<String> ACCEPTED = List.of(
            "config", "container", "daemon", "event", "image", "label", "network", "node",
            "plugin", "scope", "secret", "service", "type", "volume");

    private final Filters filters;

    private EventFilter(Filters filters) {
        this.filters = filters;
    }

    public static EventFilter of(Filters filters) {
        return new EventFilter(filters.validate(ACCEPTED));
    }

    @Override
    public boolean test(Event e) {
        Map<String, String> attrs = e.attributes();
        return filters.matchesAny("type", e.type())
                && filters.matchesAny("event", e.action(), actionHead(e.action()))
                && filters.matchesAny("scope", "local")
                && filters.matchesLabels("label", attrs)
                && actor("image", e, "image")
                && actor("container", e, "container")
                && actor("network", e, "network")
                && actor("volume", e, "volume")
                && actor("plugin", e, "plugin")
                && actor("daemon", e, "daemon")
                && actor("node", e, "node")
                && actor("service", e, "service")
                && actor("secret", e, "secret")
                && actor("config", e, "config");
    }

    /** "exec_create: sh" is matched by "exec_create", as in dockerd. */
    private static String actionHead(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon);
    }

    /**
     * A filter naming an object: events about objects of that type must be about the named one
     * (by id, short id or name); events of other types are left out, except that an image
     * filter also takes container events whose image it names.
     */
    private boolean actor(String filter, Event e, String type) {
        if (!filters.has(filter)) {
            return true;
        }
        List<String> wanted = filters.get(filter);
        if (e.type().equals(type)) {
            return wanted.stream().anyMatch(w -> names(w, e.actorId(), e.attributes().get("name")));
        }
        if (filter.equals("image") && e.type().equals("container")) {
            return wanted.stream().anyMatch(w -> names(w, "", e.attributes().get("image")));
        }
        return false;
    }

    private static boolean names(String wanted, String id, String name) {
        String bareId = id.startsWith("sha256:") ? id.substring(7) : id;
        String bareWanted = wanted.startsWith("sha256:") ? wanted.substring(7) : wanted;
        if (!bareId.isEmpty() && bareId.startsWith(bareWanted) && !bareWanted.isEmpty()) {
            return true;
        }
        if (name == null) {
            return false;
        }
        return name.equals(wanted) || name.equals(wanted + ":latest") || (name + ":latest").equals(wanted);
    }
}
