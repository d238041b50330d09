package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.ClientWatch;
import dev.berth.daemon.api.JsonLines;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.engine.CommitOptions;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.CreateRequest;
import dev.berth.engine.WaitCondition;
import dev.berth.engine.WaitResult;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.Health;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.run.FilesystemChanges;
import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The container routes of the Docker Engine API over {@link ContainerEngine}: create, list,
 * inspect, the lifecycle verbs, wait, rm, rename, update, top, stats, changes, export, commit
 * and prune. Events come from the engine itself (Daemon publishes them). The stream routes
 * (attach, logs, exec, resize) are elsewhere.
 */
public final class ContainerRoutes implements Router.Service {
    private static final int MAX_BODY = 16 << 20;
    private static final int EXPORT_BUFFER = 256 * 1024;
    /** dockerd collects stats once a second; a --no-stream answer is two readings that far apart. */
    private static final long STATS_INTERVAL_MILLIS = 1000;

    private final ContainerEngine engine;
    private final ImageService images;
    private final Path execRoot;
    private final EventBus events;

    public ContainerRoutes(ContainerEngine engine, ImageService images, Path execRoot, EventBus events) {
        this.engine = engine;
        this.images = images;
        this.execRoot = execRoot;
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.post("/containers/create", this::create)
                .get("/containers/json", this::list)
                .post("/containers/prune", this::prune)
                .post("/commit", this::commit)
                .get("/containers/{id}/json", this::inspect)
                .post("/containers/{id}/start", this::start)
                .post("/containers/{id}/stop", this::stop)
                .post("/containers/{id}/restart", this::restart)
                .post("/containers/{id}/kill", this::kill)
                .post("/containers/{id}/wait", this::await)
                .post("/containers/{id}/rename", this::rename)
                .post("/containers/{id}/update", this::update)
                .post("/containers/{id}/pause", call -> {
                    engine.pause(call.path("id"));
                    call.status(204);
                })
                .post("/containers/{id}/unpause", call -> {
                    engine.unpause(call.path("id"));
                    call.status(204);
                })
                .get("/containers/{id}/top", this::top)
                .get("/containers/{id}/stats", this::stats)
                .get("/containers/{id}/changes", this::changes)
                .get("/containers/{id}/export", this::export)
                .delete("/containers/{id}", this::remove);
    }

    // ---- create, list, inspect ----

    private void create(ApiCall call) throws Exception {
        Optional<String> name = call.query("name");
        name.filter(n -> !n.isEmpty()).ifPresent(dev.berth.engine.container.ContainerName::of); // dockerd checks the name first
        Object body = jsonBody(call);
        CreateRequest request = CreateBody.read(name, body);
        if (!call.version().atLeast(1, 44) && request.endpoints().size() > 1) {
            // dockerd before API 1.44 connected a new container to one network only
            throw BerthException.invalid("Container cannot be connected to network endpoints: "
                    + String.join(", ", request.endpoints().keySet()));
        }
        call.query("platform").filter(p -> !p.isEmpty()).ifPresent(p -> checkPlatform(request.config().image(), p));
        checkNetworks(request);
        Container c = engine.create(request);
        if (request.config().tty()) {
            CreateBody.consoleSize(body).ifPresent(size -> engine.setInitialConsoleSize(c.id(), size[0], size[1]));
        }
        call.json(201, JsonObjectBuilder.create().put("Id", c.id()).put("Warnings", List.of()).build());
    }

    /**
     * dockerd's CheckForJSON for the routes whose body is a document (create, update): no
     * Content-Type is fine without a body; otherwise it must be application/json.
     */
    private static Object jsonBody(ApiCall call) throws IOException {
        Object tree = body(call);
        String type = call.header("Content-Type").orElse("");
        String bare = type.split(";")[0].trim();
        if (!(type.isEmpty() && tree == null) && !bare.equalsIgnoreCase("application/json")) {
            throw BerthException.invalid("unsupported Content-Type header (" + type + "): must be 'application/json'");
        }
        return tree;
    }

    /** The body as a JSON tree; null when there is none. */
    private static Object body(ApiCall call) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw BerthException.invalid("request body is larger than " + (MAX_BODY >> 20) + " MiB");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.isBlank() ? null : Json.parse(text, "request body");
    }

    /**
     * The networks a create names (and the container whose network it joins) must exist, and a
     * missing one is a 400 here: the docker CLI
     * takes any 404 from create for a missing image and pulls ("Unable to find image ..."), which
     * dockerd avoids by finding networks only at start. When the image is missing, that 404 comes
     * first, as with dockerd.
     */
    private void checkNetworks(CreateRequest request) {
        if (images.find(request.config().image()).isEmpty()) {
            return;
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        String mode = request.hostConfig().networkMode();
        if (!mode.isEmpty() && !mode.equals("default") && !mode.startsWith("container:")) {
            names.add(mode);
        }
        names.addAll(request.endpoints().keySet());
        for (String name : names) {
            try {
                engine.networkInspect(name);
            } catch (BerthException e) {
                if (e.kind() == BerthException.Kind.NOT_FOUND) {
                    throw BerthException.invalid(e.getMessage());
                }
                throw e;
            }
        }
        if (mode.startsWith("container:")) {
            try {
                engine.inspect(mode.substring("container:".length())); // "No such container: x", as a 400
            } catch (BerthException e) {
                if (e.kind() == BerthException.Kind.NOT_FOUND) {
                    throw BerthException.invalid(e.getMessage());
                }
                throw e;
            }
        }
    }

    /** ?platform=os[/arch[/variant]]: the image must be for it (dockerd's words when it is not). */
    private void checkPlatform(String imageName, String platform) {
        String[] parts = platform.split("/");
        images.find(imageName).ifPresent(image -> {
            String os = image.config().os();
            String arch = image.config().architecture();
            boolean ok = parts[0].equals(os) && (parts.length < 2 || parts[1].equals(arch));
            if (!ok) {
                throw BerthException.notFound("image with reference " + imageName
                        + " was found but does not match the specified platform: wanted " + platform + ", actual: " + os + "/" + arch);
            }
        });
    }

    private void list(ApiCall call) throws Exception {
        ContainerFilters filters = new ContainerFilters(call.filters(), engine, images);
        int limit = intParam(call, "limit").orElse(-1);
        boolean size = call.flag("size");
        List<Container> containers = engine.list(call.flag("all") || limit > 0 || filters.impliesAll());
        ContainerNetworkWire net = networkWire(call);
        List<Object> out = new ArrayList<>();
        Instant now = Instant.now();
        for (Container c : containers) {
            Optional<Health> health = health(c);
            if (!filters.matches(c, health)) {
                continue;
            }
            if (limit > 0 && out.size() == limit) {
                break;
            }
            out.add(ContainerWire.summary(c, health, this::volumePath, size ? sizes(c) : Optional.empty(), now, net));
        }
        call.json(out);
    }

    private void inspect(ApiCall call) throws Exception {
        Container c = engine.inspect(call.path("id"));
        Optional<ContainerMount> layers;
        try {
            layers = Optional.of(images.snapshotter().mount(c.id()));
        } catch (BerthException e) {
            layers = Optional.empty();
        }
        call.json(ContainerWire.inspect(c, engine.paths(c.id()), health(c), layers,
                execRoot.resolve("containers").resolve(c.id()).resolve("rootfs"), this::volumePath,
                call.flag("size") ? sizes(c) : Optional.empty(), engine.execIds(c.id()), networkWire(call)));
    }

    private ContainerNetworkWire networkWire(ApiCall call) {
        return new ContainerNetworkWire(call.version(), this::networkId, execRoot);
    }

    /** A network's id by name ("" when there is none), for the entry of a none or host container. */
    private String networkId(String name) {
        try {
            return engine.networkInspect(name).id();
        } catch (BerthException e) {
            return "";
        }
    }

    private Optional<Health> health(Container c) {
        try {
            return engine.health(c.id());
        } catch (BerthException e) {
            return Optional.empty(); // removed meanwhile
        }
    }

    private Path volumePath(String name) {
        try {
            return engine.volumeInspect(name).mountpoint();
        } catch (BerthException e) {
            return null;
        }
    }

    /** SizeRw: what the writable layer holds; SizeRootFs: that plus the image. */
    private Optional<ContainerWire.Sizes> sizes(Container c) {
        long rw;
        try {
            rw = DirectorySize.of(images.snapshotter().mount(c.id()).upperDir());
        } catch (BerthException e) {
            rw = 0;
        }
        long image = images.find(c.imageId().toString()).map(Image::size).orElse(0L);
        return Optional.of(new ContainerWire.Sizes(rw, rw + image));
    }

    // ---- lifecycle ----

    private void start(ApiCall call) throws Exception {
        call.status(engine.start(call.path("id")) ? 204 : 304);
    }

    private void stop(ApiCall call) throws Exception {
        String id = call.path("id");
        Optional<Integer> timeout = intParam(call, "t");
        Optional<String> signal = call.query("signal").filter(s -> !s.isEmpty());
        if (signal.isEmpty()) {
            call.status(engine.stop(id, timeout) ? 204 : 304);
            return;
        }
        // docker stop -s: that signal first, then the usual stop (StopSignal and SIGKILL) at once
        // if the container is still running after the timeout
        Container c = engine.inspect(id);
        if (!c.state().running()) {
            call.status(304);
            return;
        }
        CompletableFuture<WaitResult> exit = engine.waitFor(c.id(), WaitCondition.NOT_RUNNING);
        engine.kill(c.id(), signal.get());
        int seconds = timeout.orElse(c.config().stopTimeout().orElse(10));
        try {
            if (seconds < 0) {
                exit.get();
            } else {
                exit.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            engine.stop(c.id(), Optional.of(0));
        }
        call.status(204);
    }

    private void restart(ApiCall call) throws Exception {
        engine.restart(call.path("id"), intParam(call, "t"));
        call.status(204);
    }

    private void kill(ApiCall call) throws Exception {
        String given = call.path("id");
        try {
            engine.kill(given, call.query("signal").orElse(""));
        } catch (BerthException e) {
            // dockerd names the container as the client did: "Cannot kill container: web: Container <id> is not running"
            String id = engine.inspect(given).id();
            String prefix = "Cannot kill container: " + id + ":";
            if (e.kind() == BerthException.Kind.CONFLICT && e.getMessage().startsWith(prefix)) {
                throw BerthException.conflict("Cannot kill container: " + given + ":" + e.getMessage().substring(prefix.length()));
            }
            throw e;
        }
        call.status(204);
    }

    /**
     * POST wait: the 200 and headers go out at once (the CLI opens it before start), the body
     * when the condition is met. A client that leaves cancels the wait.
     */
    private void await(ApiCall call) throws Exception {
        WaitCondition condition = WaitCondition.parse(call.query("condition").orElse(""));
        CompletableFuture<WaitResult> done = engine.waitFor(call.path("id"), condition);
        try (InputStream in = call.body()) {
            in.readAllBytes();
        }
        JsonLines out = call.streamJson();
        WaitResult result;
        try (ClientWatch client = call.watchClient(() -> done.cancel(false))) {
            result = done.get();
        } catch (CancellationException e) {
            return; // the client left: nobody to answer
        } catch (ExecutionException e) {
            result = new WaitResult(-1, Optional.of(String.valueOf(e.getCause().getMessage())));
        }
        out.write(JsonObjectBuilder.create()
                .put("Error", result.error().map(m -> Map.of("Message", m)).orElse(null))
                .put("StatusCode", (long) result.statusCode())
                .build());
        out.close();
    }

    private void remove(ApiCall call) throws Exception {
        if (call.flag("link")) {
            throw BerthException.invalid("berth has no container links: remove the container without link");
        }
        engine.remove(call.path("id"), call.flag("force"), call.flag("v"));
        call.status(204);
    }

    private void rename(ApiCall call) throws Exception {
        String name = call.query("name").orElse("");
        if (name.isEmpty()) {
            throw BerthException.invalid("Neither old nor new names may be empty");
        }
        try {
            engine.rename(call.path("id"), name);
        } catch (BerthException e) {
            if (e.kind() == BerthException.Kind.CONFLICT && e.getMessage().startsWith("Conflict.")) {
                throw BerthException.conflict("Error when allocating new name: " + e.getMessage());
            }
            throw e;
        }
        call.status(204);
    }

    /** docker update: the resources berth applies and the restart policy; {"Warnings":[]}. */
    private void update(ApiCall call) throws Exception {
        Object tree = jsonBody(call);
        JsonObject o = JsonObject.root("request body", tree == null ? Map.of() : tree);
        Optional<RestartPolicy> policy = o.object("RestartPolicy")
                .map(r -> RestartPolicy.of(r.string("Name").orElse(""), r.int32("MaximumRetryCount").orElse(0L).intValue()));
        Container c = engine.inspect(call.path("id"));
        if (policy.isPresent() && !policy.get().isNone() && c.hostConfig().autoRemove()) {
            throw BerthException.invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
        }
        engine.update(c.id(), nonZero(o, "Memory"), nonZero(o, "MemorySwap"), nonZero(o, "NanoCpus"), nonZero(o, "CpuShares"),
                o.string("CpusetCpus").filter(s -> !s.isEmpty()), nonZero(o, "PidsLimit"), policy);
        call.json(Map.of("Warnings", List.of()));
    }

    /** docker update sends every field, 0 for "unchanged". */
    private static Optional<Long> nonZero(JsonObject o, String key) {
        return o.int64(key).filter(v -> v != 0);
    }

    // ---- top, stats, changes, export ----

    private void top(ApiCall call) throws Exception {
        Container c = engine.inspect(call.path("id"));
        TopTable.Table table = TopTable.of(engine.pids(c.id()), call.query("ps_args").orElse(""));
        call.json(JsonObjectBuilder.create().put("Processes", table.processes()).put("Titles", table.titles()).build());
        // dockerd logs a top as an event; the engine does not see it, so the route publishes it
        Map<String, String> attributes = new java.util.LinkedHashMap<>(c.config().labels());
        attributes.put("image", c.config().image());
        attributes.put("name", c.name().bare());
        events.publish("container", "top", c.id(), attributes);
    }

    /**
     * docker stats: stream=true (the default) writes a reading a second until the container
     * stops or the client leaves; stream=false answers one reading with the one before it a
     * second earlier (so the CLI can compute CPU %), one-shot=true a single reading at once.
     */
    private void stats(ApiCall call) throws Exception {
        Container c = engine.inspect(call.path("id"));
        boolean stream = call.query("stream").map(v -> call.flag("stream")).orElse(true);
        boolean oneShot = call.flag("one-shot");
        if (!c.state().running()) {
            call.json(StatsSample.document(c.id(), c.name().value(), Optional.empty(), Optional.empty()));
            return;
        }
        if (!stream) {
            Optional<StatsSample> pre = oneShot ? Optional.empty() : sample(c);
            if (!oneShot) {
                Thread.sleep(STATS_INTERVAL_MILLIS);
            }
            call.json(StatsSample.document(c.id(), c.name().value(), sample(c), pre));
            return;
        }
        JsonLines out = call.streamJson();
        Optional<StatsSample> pre = Optional.empty();
        try (ClientWatch client = call.watchClient(() -> { })) {
            while (!client.gone()) {
                Optional<StatsSample> now = sample(c);
                if (now.isEmpty()) {
                    break;
                }
                out.write(StatsSample.document(c.id(), c.name().value(), now, pre));
                pre = now;
                Thread.sleep(STATS_INTERVAL_MILLIS);
            }
        } catch (IOException e) {
            return; // the client left mid-write
        }
        out.close();
    }

    /** A reading, or empty once the container stopped. */
    private Optional<StatsSample> sample(Container c) {
        try {
            return Optional.of(StatsSample.take(c.id(), engine.stats(c.id())));
        } catch (BerthException e) {
            return Optional.empty();
        }
    }

    /**
     * Directories that hold only the files the runtime mounts at each start (/etc/hosts,
     * /etc/hostname, /etc/resolv.conf, the init): docker keeps those in an init layer, so their
     * parent shows as changed only when something else in it changed.
     */
    private static final java.util.Set<String> INIT_LAYER_PARENTS = java.util.Set.of("/etc", "/sbin", "/dev");

    private void changes(ApiCall call) throws Exception {
        List<FilesystemChanges.Change> changes = engine.changes(call.path("id"));
        List<Object> out = new ArrayList<>();
        for (FilesystemChanges.Change ch : changes) {
            if (ch.kind() == FilesystemChanges.Kind.MODIFIED && INIT_LAYER_PARENTS.contains(ch.path())
                    && changes.stream().noneMatch(other -> other.path().startsWith(ch.path() + "/"))) {
                continue;
            }
            out.add(JsonObjectBuilder.create().put("Path", ch.path()).put("Kind", (long) ch.kind().ordinal()).build());
        }
        call.json(out.isEmpty() ? null : out);
    }

    private void export(ApiCall call) throws Exception {
        Container c = engine.inspect(call.path("id"));
        // not try-with-resources: closing after a failure would send the 200 the failure must replace
        OutputStream out = new BufferedOutputStream(call.lazyStream("application/x-tar"), EXPORT_BUFFER);
        engine.export(c.id(), out);
        out.close();
    }

    // ---- commit, prune ----

    /**
     * POST /commit. The body's Config fields are merged as Dockerfile instructions after the
     * changes= ones, which is how dockerd merges them (the body wins).
     */
    private void commit(ApiCall call) throws Exception {
        String container = call.query("container").orElse("");
        if (container.isEmpty()) {
            throw BerthException.invalid("container is required: commit?container=<id or name>");
        }
        Optional<Reference> tag = Optional.empty();
        String repo = call.query("repo").orElse("");
        if (!repo.isEmpty()) {
            String t = call.query("tag").orElse("");
            if (!t.isEmpty() && !Reference.isValidTag(t)) {
                throw BerthException.invalid("invalid tag format: " + t);
            }
            Reference r = Reference.parse(t.isEmpty() ? repo : repo + ":" + t);
            tag = Optional.of(r.isTagged() ? r : r.withDefaultTag());
        }
        List<String> changes = new ArrayList<>();
        for (String change : call.queryAll("changes")) {
            changes.addAll(change.lines().filter(l -> !l.isBlank()).toList());
        }
        Object tree = body(call);
        if (tree != null) {
            changes.addAll(CommitConfig.changes(JsonObject.root("request body", tree)));
        }
        boolean pause = call.query("pause").map(v -> call.flag("pause")).orElse(true);
        Image image = engine.commit(container, new CommitOptions(tag, call.query("comment").orElse(""),
                call.query("author").orElse(""), changes, pause));
        call.json(201, Map.of("Id", image.id().toString()));
    }

    private void prune(ApiCall call) throws Exception {
        PruneFilter filter = PruneFilter.of(call.filters());
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : engine.list(true)) {
            if (!c.status().canRemove() || !filter.matches(c.created(), c.config().labels())) {
                continue;
            }
            long size = sizes(c).map(ContainerWire.Sizes::rw).orElse(0L);
            try {
                engine.remove(c.id(), false);
                deleted.add(c.id());
                reclaimed += size;
            } catch (BerthException e) {
                // started or removed meanwhile
            }
        }
        call.json(JsonObjectBuilder.create()
                .put("ContainersDeleted", deleted.isEmpty() ? null : deleted)
                .put("SpaceReclaimed", reclaimed)
                .build());
    }

    private static Optional<Integer> intParam(ApiCall call, String name) {
        return call.query(name).filter(v -> !v.isEmpty()).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid value for " + name + ": " + v);
            }
        });
    }
}
