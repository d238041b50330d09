package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.HijackedStream;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.ExecConfig;
import dev.berth.engine.ExecInstance;
import dev.berth.engine.container.Container;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docker exec: {@code POST /containers/{id}/exec} (create), {@code POST /exec/{id}/start}
 * (hijacked: frames or raw, stdin, detach keys; or detached), {@code POST /exec/{id}/resize},
 * {@code GET /exec/{id}/json}. The engine runs the process; what only the API knows (which
 * streams the client wants, its detach keys and console size) is kept here, per exec.
 */
public final class ExecRoutes implements Router.Service {
    private static final Logger LOG = LoggerFactory.getLogger(ExecRoutes.class);

    private final ContainerEngine engine;
    private final EventBus events;
    private final Map<String, ExecWire.Options> options = new ConcurrentHashMap<>();

    public ExecRoutes(ContainerEngine engine, EventBus events) {
        this.engine = engine;
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.post("/containers/{id}/exec", this::create)
                .post("/exec/{id}/start", this::start)
                .post("/exec/{id}/resize", this::resize)
                .get("/exec/{id}/json", this::inspect);
    }

    private void create(ApiCall call) throws Exception {
        JsonObject body = JsonObject.root("request body", ExecWire.bodyOrEmpty(call));
        ExecConfig config = ExecWire.config(body);
        ExecWire.Options opts = ExecWire.options(body);
        Container c = engine.inspect(call.path("id"));
        String execId = engine.execCreate(c.id(), config);
        options.put(execId, opts);
        Map<String, String> attrs = AttachRoutes.eventAttributes(c);
        attrs.put("execID", execId);
        events.publish("container", "exec_create: " + String.join(" ", config.cmd()), c.id(), attrs);
        call.json(201, Map.of("Id", execId));
    }

    private ExecWire.Options options(String execId) {
        return options.computeIfAbsent(execId, k -> ExecWire.Options.defaults());
    }

    private void start(ApiCall call) throws Exception {
        String execId = call.path("id");
        ExecInstance exec = engine.execInspect(execId); // 404 before anything else
        JsonObject body = JsonObject.root("request body", ExecWire.bodyOrEmpty(call));
        boolean detach = body.bool("Detach").orElse(false);
        // dockerd frames by the start request's Tty; a client that leaves it out gets the exec's
        boolean tty = body.bool("Tty").orElse(exec.config().tty());
        ExecWire.Options opts = options(execId);
        Optional<List<Long>> consoleSize = ExecWire.consoleSize(body).or(opts::consoleSize);
        if (detach) {
            try {
                engine.execStart(execId, entry -> { });
            } catch (BerthException e) {
                throw startFailed(opts, e);
            } finally {
                opts.started().complete(null);
            }
            resizeQuietly(execId, exec, consoleSize);
            call.status(200);
            return;
        }
        call.hijack(connection -> session(connection, execId, exec, tty, opts, consoleSize));
        call.header("Content-Type", StdFrames.contentType(tty, call.version()));
    }

    /**
     * The attached exec: started once the 101 is out (as dockerd does: a failure to start is
     * written to the client's stdout, and the exit code is left for GET /exec/{id}/json), its
     * output until it exits, the client's input to its stdin.
     */
    private void session(HijackedStream connection, String execId, ExecInstance exec, boolean tty,
                         ExecWire.Options opts, Optional<List<Long>> consoleSize) throws Exception {
        StdFrames frames = new StdFrames(connection.output(), !tty);
        OutputQueue out = OutputQueue.of(opts.attachStdout(), opts.attachStderr());
        CompletableFuture<Integer> exit;
        try {
            exit = engine.execStart(execId, out);
        } catch (BerthException e) {
            LOG.debug("exec {}: {}", execId, e.getMessage());
            byte[] message = (startFailed(opts, e).getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
            frames.write(StdFrames.STDOUT, message, 0, message.length);
            frames.flush();
            return;
        } finally {
            opts.started().complete(null);
        }
        resizeQuietly(execId, exec, consoleSize);
        exit.whenComplete((code, x) -> out.end("the exec exited"));
        Thread input = null;
        if (exec.config().attachStdin()) {
            input = Thread.ofVirtual().name("exec-stdin").start(() -> copyStdin(connection.input(), execId, tty, opts, out));
        }
        try {
            out.writeTo(frames, e -> false);
        } finally {
            if (input != null) {
                input.interrupt();
            }
        }
    }

    /**
     * dockerd's exec attach (CloseStdin): at the end of the client's input, an exec without a
     * terminal gets its stdin closed and goes on; with a terminal the attach ends there.
     */
    private void copyStdin(InputStream client, String execId, boolean tty, ExecWire.Options opts, OutputQueue out) {
        OutputStream target;
        try {
            target = engine.execStdin(execId);
        } catch (BerthException e) {
            return; // exited already
        }
        StdinCopy.End end;
        try {
            end = StdinCopy.copy(client, target, tty ? Optional.of(opts.detachKeys()) : Optional.empty());
        } finally {
            AttachRoutes.closeQuietly(target);
        }
        if (end == StdinCopy.End.DETACHED) {
            out.end("the client detached");
            try {
                ExecInstance exec = engine.execInspect(execId);
                Map<String, String> attrs = AttachRoutes.eventAttributes(engine.inspect(exec.containerId()));
                attrs.put("execID", execId);
                events.publish("container", "exec_detach", exec.containerId(), attrs);
            } catch (BerthException gone) {
                // removed meanwhile: nothing to announce
            }
        } else if (end == StdinCopy.End.EOF && tty) {
            out.end("the client's input ended");
        }
    }

    /**
     * A start that failed: the process could not be executed (the engine's INVALID_ARGUMENT, in
     * runc's words) is reported in dockerd's words with its exit code 126; a conflict (the exec
     * ran already, the container stopped) is left as it is.
     */
    private static BerthException startFailed(ExecWire.Options opts, BerthException e) {
        if (e.kind() != BerthException.Kind.INVALID_ARGUMENT) {
            return e;
        }
        opts.startFailed().set(true);
        return new BerthException(e.kind(), ExecWire.startFailure(e.getMessage()), e);
    }

    private void resizeQuietly(String execId, ExecInstance exec, Optional<List<Long>> consoleSize) {
        if (exec.config().tty() && consoleSize.isPresent()) {
            try {
                engine.execResize(execId, (int) Math.min(consoleSize.get().get(0), 0xffff),
                        (int) Math.min(consoleSize.get().get(1), 0xffff));
            } catch (BerthException e) {
                LOG.debug("exec {}: initial console size: {}", execId, e.getMessage());
            }
        }
    }

    /**
     * POST /exec/{id}/resize: as dockerd, waits (up to 10 s) for the exec to have started, since
     * the CLI sends it right after the start request; an exec without a terminal ignores it.
     */
    private void resize(ApiCall call) throws Exception {
        String execId = call.path("id");
        int h = TerminalSize.parse(call.query("h").orElse(""));
        int w = TerminalSize.parse(call.query("w").orElse(""));
        ExecInstance exec = engine.execInspect(execId);
        try {
            options(execId).started().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw BerthException.internal("timeout waiting for exec session ready");
        }
        if (exec.config().tty()) {
            ExecInstance now = engine.execInspect(execId);
            if (!now.running()) {
                throw BerthException.conflict("exec " + execId + " is not running");
            }
            engine.execResize(execId, h, w);
        }
        call.status(200);
    }

    private void inspect(ApiCall call) throws IOException {
        ExecInstance exec = engine.execInspect(call.path("id"));
        call.json(ExecWire.inspect(exec, options(exec.id())));
    }
}
