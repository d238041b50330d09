package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.ApiHandler;
import dev.berth.daemon.api.HijackSession;
import dev.berth.daemon.api.HijackedStream;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.WaitCondition;
import dev.berth.engine.WaitResult;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.oci.BerthException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /containers/{id}/attach} (hijacked: the container's output as docker's frames, or
 * raw with a terminal; the client's bytes to its stdin), {@code POST /containers/{id}/resize},
 * and {@code GET /containers/{id}/attach/ws} (501). An attach ends when the container exits
 * (so that {@code docker run} moves on to its wait), when the client detaches, or when its
 * input ends on a container whose stdin is not closed by it (no StdinOnce, or a terminal).
 */
public final class AttachRoutes implements Router.Service {
    private static final Logger LOG = LoggerFactory.getLogger(AttachRoutes.class);

    private final ContainerEngine engine;
    private final EventBus events;

    public AttachRoutes(ContainerEngine engine, EventBus events) {
        this.engine = engine;
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.post("/containers/{id}/attach", this::attach)
                .get("/containers/{id}/attach/ws", call -> {
                    engine.inspect(call.path("id"));
                    throw ApiHandler.notImplemented("attaching over a websocket");
                })
                .post("/containers/{id}/resize", this::resize);
    }

    /** docker's container event attributes: name, image and the labels. */
    static Map<String, String> eventAttributes(Container c) {
        Map<String, String> attrs = new LinkedHashMap<>(c.config().labels());
        attrs.put("name", c.name().bare());
        attrs.put("image", c.config().image());
        return attrs;
    }

    private void attach(ApiCall call) {
        Container c = engine.inspect(call.path("id"));
        if (c.status() == Status.PAUSED) {
            throw BerthException.conflict("container " + call.path("id") + " is paused, unpause the container before attach");
        }
        DetachKeys keys = DetachKeys.forAttach(call.query("detachKeys").orElse(""));
        boolean logs = call.flag("logs");
        boolean stream = call.flag("stream");
        boolean stdin = call.flag("stdin") && c.config().openStdin();
        boolean tty = c.config().tty();
        String id = c.id();
        // everything is in place before the 101 goes out: the client starts the container as
        // soon as it has read it, and output from the first byte on must reach this attach
        OutputQueue out = OutputQueue.of(call.flag("stdout"), call.flag("stderr"));
        AutoCloseable subscription = stream ? engine.subscribe(id, out) : () -> { };
        CompletableFuture<Void> started = new CompletableFuture<>();
        AutoCloseable startWatch = stdin ? engine.onEvent(e -> {
            if (e.id().equals(id) && e.action().equals("start")) {
                started.complete(null);
            }
        }) : () -> { };
        try {
            CompletableFuture<WaitResult> exit;
            if (stream) {
                boolean running = engine.inspect(id).state().running();
                exit = engine.waitFor(id, running ? WaitCondition.NOT_RUNNING : WaitCondition.NEXT_EXIT);
                if (engine.inspect(id).status() == Status.RUNNING) {
                    started.complete(null);
                }
            } else {
                exit = CompletableFuture.completedFuture(null);
            }
            exit.whenComplete((r, x) -> out.end("the container exited"));
            Session session = new Session(id, tty, c.config().stdinOnce(), logs, stdin, keys, out, exit, started,
                    subscription, startWatch);
            call.hijack(session);
            call.header("Content-Type", StdFrames.contentType(tty, call.version()));
            events.publish("container", "attach", id, eventAttributes(c));
        } catch (RuntimeException e) {
            closeQuietly(subscription);
            closeQuietly(startWatch);
            throw e;
        }
    }

    /** One attached client, on the hijacked connection's virtual thread. */
    private final class Session implements HijackSession {
        private final String id;
        private final boolean tty;
        private final boolean stdinOnce;
        private final boolean logs;
        private final boolean stdin;
        private final DetachKeys keys;
        private final OutputQueue out;
        private final CompletableFuture<WaitResult> exit;
        private final CompletableFuture<Void> started;
        private final AutoCloseable subscription;
        private final AutoCloseable startWatch;

        Session(String id, boolean tty, boolean stdinOnce, boolean logs, boolean stdin, DetachKeys keys, OutputQueue out,
                CompletableFuture<WaitResult> exit, CompletableFuture<Void> started, AutoCloseable subscription,
                AutoCloseable startWatch) {
            this.id = id;
            this.tty = tty;
            this.stdinOnce = stdinOnce;
            this.logs = logs;
            this.stdin = stdin;
            this.keys = keys;
            this.out = out;
            this.exit = exit;
            this.started = started;
            this.subscription = subscription;
            this.startWatch = startWatch;
        }

        @Override
        public void run(HijackedStream connection) throws Exception {
            Thread input = null;
            try {
                StdFrames frames = new StdFrames(connection.output(), !tty);
                Instant replayedThrough = logs ? replay(frames) : Instant.MIN;
                if (stdin) {
                    input = Thread.ofVirtual().name("attach-stdin").start(() -> copyStdin(connection));
                }
                out.writeTo(frames, e -> !e.time().isAfter(replayedThrough));
                LOG.debug("attach to {} ended: {}", id, out.reason());
            } finally {
                closeQuietly(subscription);
                closeQuietly(startWatch);
                if (input != null) {
                    input.interrupt(); // the connection closes after this returns, which ends its read
                }
            }
        }

        /** logs=1: what the container wrote before, from its json-file log. */
        private Instant replay(StdFrames frames) throws java.io.IOException {
            Instant last;
            try {
                last = LogReader.forEach(engine.logPath(id), e -> { // entry by entry: a big log is never held whole
                    if (out.wants(e)) {
                        try {
                            frames.write(e);
                        } catch (java.io.IOException x) {
                            throw new java.io.UncheckedIOException(x);
                        }
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            frames.flush();
            return last;
        }

        /**
         * The client's bytes into the container's stdin once it runs (the CLI sends them right
         * after the 101, before its start request). At the end of input a StdinOnce container
         * without a terminal gets its stdin closed and the attach goes on until it exits (docker
         * run -i); otherwise the attach ends there, leaving the container running.
         */
        private void copyStdin(HijackedStream connection) {
            try {
                CompletableFuture.anyOf(started, exit).get();
            } catch (Exception e) {
                return;
            }
            if (!started.isDone()) {
                return; // it exited (or was never started) before we could give it anything
            }
            OutputStream target;
            try {
                target = engine.stdin(id);
            } catch (BerthException e) {
                return; // gone again already
            }
            StdinCopy.End end;
            try {
                end = StdinCopy.copy(connection.input(), target, tty ? Optional.of(keys) : Optional.empty());
            } finally {
                if (stdinOnce && !tty) {
                    closeQuietly(target); // the engine closes the container's stdin: cat sees its EOF
                }
            }
            switch (end) {
                case DETACHED -> {
                    // announced before the stream ends, as dockerd does: a client that sees its
                    // connection close can already find the event
                    try {
                        events.publish("container", "detach", id, eventAttributes(engine.inspect(id)));
                    } catch (BerthException gone) {
                        // removed meanwhile: nothing to announce
                    }
                    out.end("the client detached");
                }
                case EOF -> {
                    if (tty || !stdinOnce) {
                        out.end("the client's input ended");
                    }
                }
                case TARGET_CLOSED -> { } // the container closed its stdin: its output may go on
            }
        }
    }

    /** POST /containers/{id}/resize?h=&w=: the terminal's size; dockerd ignores it for a container without one. */
    private void resize(ApiCall call) throws Exception {
        int h = TerminalSize.parse(call.query("h").orElse(""));
        int w = TerminalSize.parse(call.query("w").orElse(""));
        Container c = engine.inspect(call.path("id"));
        if (!c.state().running()) {
            throw BerthException.conflict("Container " + c.id() + " is not running");
        }
        if (c.config().tty()) {
            engine.resize(c.id(), h, w);
        }
        Map<String, String> attrs = eventAttributes(c);
        attrs.put("height", Integer.toString(h));
        attrs.put("width", Integer.toString(w));
        events.publish("container", "resize", c.id(), attrs);
        call.status(200);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // releasing a subscription or a stdin that is gone already
        }
    }
}
