package dev.berth.daemon.events;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.ClientWatch;
import dev.berth.daemon.api.JsonLines;
import dev.berth.daemon.api.Router;
import dev.berth.oci.BerthException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * GET /events: past events from {@code since}, then live ones until {@code until} (or until
 * the client leaves or the daemon stops), one JSON object per line.
 */
public final class EventRoutes implements Router.Service {
    /** How often a quiet stream wakes to check its {@code until} and the daemon's state. */
    private static final long TICK_MILLIS = 1_000;

    private final EventBus bus;
    private final Clock clock;

    public EventRoutes(EventBus bus, Clock clock) {
        this.bus = bus;
        this.clock = clock;
    }

    @Override
    public void routing(Router router) {
        router.get("/events", this::events);
    }

    private void events(ApiCall call) throws Exception {
        EventFilter filter = EventFilter.of(call.filters());
        Long since = call.query("since").map(v -> parseTime("since", v)).orElse(null);
        Long until = call.query("until").map(v -> parseTime("until", v)).orElse(null);
        if (since != null && until != null && since > until) {
            throw BerthException.invalid("since must be before until");
        }
        try (EventBus.Subscription sub = bus.subscribe(filter, since)) {
            JsonLines out = call.streamJson();
            // a client that leaves a quiet daemon is dropped at once, not at the next event
            try (ClientWatch client = call.watchClient(sub::close)) {
                stream(sub, out, client, until);
            }
        }
    }

    private void stream(EventBus.Subscription sub, JsonLines out, ClientWatch client, Long until) throws Exception {
        for (Event e : sub.past()) {
            if (until != null && e.timeNano() > until) {
                return;
            }
            out.write(e.toJson());
        }
        while (until == null || now() < until) {
            long wait = until == null ? TICK_MILLIS : Math.min(TICK_MILLIS, Math.max(1, (until - now()) / 1_000_000));
            Optional<Event> next = sub.next(wait);
            if (next.isPresent()) {
                if (until != null && next.get().timeNano() > until) {
                    return;
                }
                out.write(next.get().toJson());
            } else if (sub.ended() || client.gone()) {
                return;
            }
        }
    }

    private long now() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * dockerd's timestamps: unix seconds with an optional fraction of up to nine digits
     * ({@code 1795681660.5}), which is what the docker CLI sends after resolving "10m" or a
     * date itself; an RFC 3339 date is taken too, for curl users.
     */
    static long parseTime(String name, String value) {
        String v = value.trim();
        try {
            if (v.matches("-?\\d+(\\.\\d{1,9})?")) {
                int dot = v.indexOf('.');
                long seconds = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
                long nanos = dot < 0 ? 0 : Long.parseLong((v.substring(dot + 1) + "000000000").substring(0, 9));
                return Math.multiplyExact(seconds, 1_000_000_000L) + (seconds < 0 ? -nanos : nanos);
            }
            Instant t = Instant.parse(v);
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw BerthException.invalid("invalid value for " + name + ": " + value);
        }
    }
}
