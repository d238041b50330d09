package dev.berth.daemon.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The daemon's events: published by the services, kept in a bounded history for
 * {@code since}, and fanned out to the /events streams. A subscriber that falls too far behind
 * is dropped rather than allowed to hold memory without bound.
 */
public final class EventBus implements AutoCloseable {
    /** dockerd keeps 256 events; a few more costs nothing. */
    public static final int HISTORY = 1024;
    private static final int SUBSCRIBER_BACKLOG = 4096;

    private final ArrayDeque<Event> history = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private long lastNano;
    private boolean closed;

    public EventBus() {
        this(Clock.systemUTC());
    }

    public EventBus(Clock clock) {
        this.clock = clock;
    }

    /** Records an event now and delivers it to every stream whose filter takes it. */
    public Event publish(String type, String action, String actorId, Map<String, String> attributes) {
        Event event;
        synchronized (this) {
            if (closed) {
                return new Event(type, action, actorId, attributes, nowNano());
            }
            event = new Event(type, action, actorId, attributes, nowNano());
            history.addLast(event);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
            for (Subscription s : subscribers) {
                s.offer(event);
            }
        }
        return event;
    }

    /** Nanoseconds since the epoch, strictly increasing so that events keep their order. */
    private long nowNano() {
        java.time.Instant now = clock.instant();
        long nano = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        lastNano = Math.max(nano, lastNano + 1);
        return lastNano;
    }

    /**
     * A new stream: the past events taken by {@code filter} with {@code timeNano >= sinceNano}
     * (none when {@code sinceNano} is null), and from now on every new one, with no gap or
     * repeat between the two.
     */
    public Subscription subscribe(Predicate<Event> filter, Long sinceNano) {
        Subscription s = new Subscription(filter);
        synchronized (this) {
            if (sinceNano != null) {
                for (Event e : history) {
                    if (e.timeNano() >= sinceNano && filter.test(e)) {
                        s.past.add(e);
                    }
                }
            }
            if (closed) {
                s.end();
            } else {
                subscribers.add(s);
            }
        }
        return s;
    }

    public int listeners() {
        return subscribers.size();
    }

    /** Ends every stream (daemon shutdown). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Subscription s : subscribers) {
                s.end();
            }
            subscribers.clear();
        }
    }

    /** One /events stream's view of the bus. */
    public final class Subscription implements AutoCloseable {
        private static final Event END = new Event("", "", "", Map.of(), 0);
        private final Predicate<Event> filter;
        private final List<Event> past = new ArrayList<>();
        private final LinkedBlockingQueue<Event> live = new LinkedBlockingQueue<>(SUBSCRIBER_BACKLOG);
        private volatile boolean ended;

        private Subscription(Predicate<Event> filter) {
            this.filter = filter;
        }

        public List<Event> past() {
            return List.copyOf(past);
        }

        private void offer(Event e) {
            if (filter.test(e) && !live.offer(e)) {
                // the client reads slower than we produce: end its stream rather than buffer forever
                subscribers.remove(this);
                end();
            }
        }

        private void end() {
            ended = true;
            live.clear();
            live.offer(END);
        }

        /** The next live event, waiting up to {@code millis}; empty on timeout or once ended. */
        public Optional<Event> next(long millis) throws InterruptedException {
            if (ended && live.isEmpty()) {
                return Optional.empty();
            }
            Event e = live.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
            if (e == END) {
                live.offer(END);
                return Optional.empty();
            }
            return Optional.ofNullable(e);
        }

        public boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
