package dev.berth.daemon.container;

import dev.berth.engine.logs.LogEntry;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Between the engine's I/O thread, which hands over a container's or an exec's output and must
 * never block, and the virtual thread that writes it to a client. A client that falls more
 * than {@link #MAX_PENDING} bytes behind is cut off rather than let the daemon's memory grow:
 * its stream ends, the container goes on.
 */
final class OutputQueue implements Consumer<LogEntry> {
    static final long MAX_PENDING = 64L << 20;
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final Predicate<LogEntry> wanted;
    private volatile boolean ended;
    private volatile String reason = "";

    OutputQueue(Predicate<LogEntry> wanted) {
        this.wanted = wanted;
    }

    /** Only stdout and/or stderr, as the client asked. */
    static OutputQueue of(boolean stdout, boolean stderr) {
        return new OutputQueue(e -> e.stream() == LogEntry.Stream.STDERR ? stderr : stdout);
    }

    /** Whether the client asked for this entry's stream. */
    boolean wants(LogEntry entry) {
        return wanted.test(entry);
    }

    @Override
    public void accept(LogEntry entry) {
        if (ended || !wanted.test(entry)) {
            return;
        }
        if (pending.addAndGet(entry.line().length) > MAX_PENDING) {
            end("the client fell more than " + (MAX_PENDING >> 20) + " MiB behind");
            return;
        }
        items.add(entry);
    }

    /** No more entries after those queued: the stream ends once they are written. */
    void end(String why) {
        if (!ended) {
            reason = why;
            ended = true;
            items.add(END);
        }
    }

    /** Why the stream ended: "exited", "detached", "client left", … (for the log, and for callers that care). */
    String reason() {
        return reason;
    }

    /**
     * Writes entries as they come until the end, flushing whenever the queue runs dry (so a
     * burst goes out together and a lone prompt at once). Entries {@code skip} accepts are
     * dropped (those a log replay already sent).
     */
    void writeTo(StdFrames out, Predicate<LogEntry> skip) throws java.io.IOException, InterruptedException {
        writeTo(out, skip, e -> e);
    }

    /** writeTo, with each entry changed by {@code form} on its way (docker logs -t puts a timestamp in front). */
    void writeTo(StdFrames out, Predicate<LogEntry> skip, java.util.function.UnaryOperator<LogEntry> form)
            throws java.io.IOException, InterruptedException {
        while (true) {
            Object o = items.take();
            while (o != null) {
                if (o == END) {
                    items.add(END); // stays the last item: a later reader sees the end too
                    out.flush();
                    return;
                }
                LogEntry e = (LogEntry) o;
                pending.addAndGet(-e.line().length);
                if (!skip.test(e)) {
                    out.write(form.apply(e));
                }
                o = items.poll();
            }
            out.flush();
        }
    }
}
