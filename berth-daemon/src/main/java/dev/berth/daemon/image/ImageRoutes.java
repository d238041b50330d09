package dev.berth.daemon.image;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.Filters;
import dev.berth.daemon.api.JsonLines;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.daemon.server.HeapTrim;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.bootstrap.ImageBootstrap;
import dev.berth.image.store.DeleteResponseItem;
import dev.berth.image.store.DiskUsage;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.PruneReport;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image routes of the Docker Engine API over {@link ImageService} and {@link ImageTransfer},
 * with the image events dockerd emits (tag, untag, delete, load, save, import); pull and push are
 * {@link RegistryRoutes}'. Names in paths
 * may hold slashes ({@code localhost:5000/a/b:tag}): the templates use greedy parameters.
 */
public final class ImageRoutes implements Router.Service {
    /** Enough to keep the tar writer's small writes from each becoming an HTTP chunk. */
    private static final int STREAM_BUFFER = 256 * 1024;

    private final ImageService images;
    private final ImageTransfer transfer;
    private final EventBus events;
    private final ImageBootstrap bootstrap;
    private final RegistryRoutes registry;

    /** @param registry where {@code POST /images/create?fromImage=} (a pull) goes */
    public ImageRoutes(ImageService images, ImageTransfer transfer, ImageBootstrap bootstrap, EventBus events,
            RegistryRoutes registry) {
        this.registry = registry;
        this.images = images;
        this.transfer = transfer;
        this.bootstrap = bootstrap;
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        // inline (no hand-off to a request thread: Router#getInline) unless shared sizes are asked,
        // which walk the disk
        router.getInline("/images/json", call -> !call.flag("shared-size"), this::list)
                .get("/images/get", call -> save(call, call.queryAll("names")))
                .post("/berth/images/bootstrap", this::bootstrap)
                .get("/images/search", call -> {
                    throw BerthException.unsupported("searching a registry is not supported by berthd yet");
                })
                .post("/images/load", this::load)
                .post("/images/create", this::create)
                .post("/images/prune", this::prune)
                .get("/images/{name*}/json", this::inspect)
                .get("/images/{name*}/history", this::history)
                .get("/images/{name*}/get", call -> save(call, List.of(call.path("name"))))
                .post("/images/{name*}/tag", this::tag)
                .delete("/images/{name*}", this::remove);
    }

    private void list(ApiCall call) throws Exception {
        Filters filters = call.filters();
        List<Image> list = images.list(filters.values());
        Map<Digest, Long> shared = new HashMap<>();
        if (call.flag("shared-size")) {
            for (DiskUsage.ImageUsage u : images.diskUsage().images()) {
                shared.put(u.image().id(), u.sharedSize());
            }
        }
        List<Object> out = new ArrayList<>();
        for (Image image : list) {
            out.add(ImageWire.summary(image, shared.getOrDefault(image.id(), -1L), call.version()));
        }
        call.json(out);
    }

    private void inspect(ApiCall call) throws Exception {
        Image image = images.inspect(call.path("name"));
        call.json(ImageWire.inspect(image, rawConfig(image), "overlayfs", Map.of(), call.version()));
    }

    /** The config document as stored, for the fields the model does not carry. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> rawConfig(Image image) {
        try {
            Object tree = Json.parse(new String(images.content().read(image.id()), StandardCharsets.UTF_8));
            return tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (BerthException e) {
            return Map.of();
        }
    }

    private void history(ApiCall call) throws Exception {
        call.json(images.history(call.path("name")).stream().map(ImageWire::history).toList());
    }

    private void tag(ApiCall call) throws Exception {
        String repo = call.query("repo").orElse("");
        String tag = call.query("tag").orElse("");
        if (repo.isEmpty()) {
            throw BerthException.invalid("repository name must have at least one component: repo is required");
        }
        if (!tag.isEmpty() && !Reference.isValidTag(tag)) {
            throw BerthException.invalid("invalid tag format: " + tag);
        }
        Reference target = Reference.parse(tag.isEmpty() ? repo : repo + ":" + tag);
        if (target.isDigested()) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        target = target.isTagged() ? target : target.withDefaultTag();
        Image image = images.inspect(call.path("name"));
        images.tag(image.id().toString(), target);
        event("tag", image.id(), target.familiar());
        call.status(201);
    }

    private void remove(ApiCall call) throws Exception {
        String name = call.path("name");
        Digest id = images.find(name).map(Image::id).orElse(null);
        List<DeleteResponseItem> items = images.remove(name, call.flag("force"), call.flag("noprune"));
        for (DeleteResponseItem item : items) {
            if (item.isUntagged()) {
                event("untag", id, id == null ? item.untagged() : id.toString());
            } else if (id != null && item.deleted().equals(id.toString())) {
                event("delete", id, id.toString());
            }
        }
        call.json(items.stream().map(ImageWire::deleted).toList());
    }

    private void prune(ApiCall call) throws Exception {
        Filters filters = call.filters();
        // the API's "all" is dangling=false (docker image prune -a)
        boolean all = filters.get("dangling").stream().anyMatch(v -> v.equalsIgnoreCase("false") || v.equals("0"));
        // the report lists layers too: only the ids that were images make delete events
        Set<String> imageIds = new HashSet<>();
        images.list(Map.of()).forEach(i -> imageIds.add(i.id().toString()));
        PruneReport report = images.prune(all, filters.values());
        for (DeleteResponseItem item : report.deleted()) {
            if (item.isUntagged()) {
                event("untag", null, item.untagged());
            } else if (imageIds.contains(item.deleted())) {
                event("delete", Digest.parse(item.deleted()), item.deleted());
            }
        }
        call.json(JsonObjectBuilder.create()
                .put("ImagesDeleted", report.deleted().isEmpty() ? null : report.deleted().stream().map(ImageWire::deleted).toList())
                .put("SpaceReclaimed", report.spaceReclaimed())
                .build());
    }

    /**
     * docker load: the archive in the body; docker's messages back as a JSON stream, each as its
     * image is registered. A failure before the first message is an error status; one after it
     * is reported in the stream ({@code errorDetail}), as dockerd does.
     */
    private void load(ApiCall call) throws Exception {
        LoadProgress progress = new LoadProgress(call);
        try (InputStream body = call.body()) {
            transfer.load(body, progress::message);
        } finally {
            HeapTrim.afterLargeTransfer();
        }
        progress.finish();
    }

    /** The /images/load stream, started by its first message. */
    private final class LoadProgress {
        private final ApiCall call;
        private final Set<Digest> loaded = new HashSet<>();
        private JsonLines out;
        private boolean clientGone;

        LoadProgress(ApiCall call) {
            this.call = call;
        }

        void message(String m) {
            // a client that left does not stop the load: the images are registered all the same
            if (!clientGone) {
                try {
                    if (out == null) {
                        out = call.streamJson();
                    }
                    out.write(Map.of("stream", m + "\n"));
                } catch (IOException e) {
                    clientGone = true;
                }
            }
            loadedId(m).filter(loaded::add).ifPresent(id -> event("load", id, id.toString()));
        }

        void finish() throws IOException {
            if (out == null && !clientGone) {
                out = call.streamJson(); // an archive with no image: an empty stream, as before
            }
            if (out != null && !clientGone) {
                out.close();
            }
        }
    }

    private java.util.Optional<Digest> loadedId(String message) {
        if (message.startsWith("Loaded image ID: ")) {
            return java.util.Optional.of(Digest.parse(message.substring("Loaded image ID: ".length()).trim()));
        }
        if (message.startsWith("Loaded image: ")) {
            return images.find(message.substring("Loaded image: ".length()).trim()).map(Image::id);
        }
        return java.util.Optional.empty();
    }

    private void save(ApiCall call, List<String> names) throws Exception {
        if (names.isEmpty()) {
            throw BerthException.invalid("no images to save: give names=…");
        }
        Set<Digest> ids = new LinkedHashSet<>();
        for (String name : names) {
            images.find(name).ifPresent(i -> ids.add(i.id()));
        }
        // not try-with-resources: closing after a failure would send the 200 the failure must replace
        OutputStream out = new BufferedOutputStream(call.lazyStream("application/x-tar"), STREAM_BUFFER);
        try {
            transfer.save(names, out, format(call));
            // announced before the body ends, as dockerd does: a client that has read the whole
            // archive finds the events
            for (Digest id : ids) {
                event("save", id, id.toString());
            }
            out.close();
        } finally {
            HeapTrim.afterLargeTransfer();
        }
    }

    /** berth's {@code format=oci} (berth save --format oci); docker's archive otherwise. */
    private static ImageTransfer.Format format(ApiCall call) {
        String format = call.query("format").orElse("");
        return switch (format) {
            case "", "docker" -> ImageTransfer.Format.DOCKER;
            case "oci" -> ImageTransfer.Format.OCI;
            default -> throw BerthException.invalid("invalid format " + format + ": docker or oci");
        };
    }

    /**
     * berth's POST /berth/images/bootstrap?name=busybox|debian[&amp;tag=REF]: a base image made on
     * this host, with progress as a JSON message stream (debootstrap takes minutes). A failure
     * after the stream started is its last message, as docker's streams end.
     */
    private void bootstrap(ApiCall call) throws Exception {
        String name = call.query("name").orElse("");
        if (!name.equals("busybox") && !name.equals("debian")) {
            throw BerthException.invalid("unknown base image \"" + name + "\": busybox or debian");
        }
        List<Reference> tags = new ArrayList<>();
        call.query("tag").filter(t -> !t.isEmpty()).ifPresent(t -> {
            Reference r = Reference.parse(t);
            tags.add(r.isTagged() || r.isDigested() ? r : r.withDefaultTag());
        });
        JsonLines out = call.streamJson();
        try {
            java.util.function.Consumer<String> progress = line -> {
                try {
                    out.write(Map.of("stream", line + "\n"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            Digest id = name.equals("busybox")
                    ? bootstrap.busybox(tags, progress)
                    : bootstrap.debian(dev.berth.daemon.system.HostInfo.osCodename().orElse("bookworm"), tags, progress);
            Image image = images.inspect(id.toString());
            for (Reference tag : image.repoTags()) {
                event("tag", id, tag.familiar());
            }
            event("import", id, id.toString());
            for (String tag : image.familiarRepoTags()) {
                out.write(Map.of("stream", "Loaded image: " + tag + "\n"));
            }
            out.write(Map.of("aux", Map.of("ID", id.toString())));
        } catch (BerthException e) {
            out.write(Map.of("errorDetail", Map.of("message", e.getMessage()), "error", e.getMessage()));
        } finally {
            HeapTrim.afterLargeTransfer();
        }
    }

    /** POST /images/create: a pull (fromImage, in {@link RegistryRoutes}) or an import (fromSrc=-). */
    private void create(ApiCall call) throws Exception {
        String fromSrc = call.query("fromSrc").orElse("");
        String fromImage = call.query("fromImage").orElse("");
        if (!fromImage.isEmpty()) {
            registry.pull(call);
            return;
        }
        if (fromSrc.isEmpty()) {
            throw BerthException.invalid("fromSrc or fromImage is required");
        }
        if (!fromSrc.equals("-")) {
            throw BerthException.unsupported("importing from a URL is not supported by berthd: send the tarball as the body (fromSrc=-)");
        }
        Reference tag = null;
        String repo = call.query("repo").orElse("");
        if (!repo.isEmpty()) {
            String t = call.query("tag").orElse("");
            tag = Reference.parse(t.isEmpty() ? repo : repo + ":" + t);
        }
        Digest id;
        try (InputStream body = call.body()) {
            id = transfer.importRootfs(body, tag, call.queryAll("changes"), call.query("message").orElse(""));
        } finally {
            HeapTrim.afterLargeTransfer();
        }
        if (tag != null) {
            event("tag", id, (tag.isTagged() ? tag : tag.withDefaultTag()).familiar());
        }
        event("import", id, id.toString());
        try (JsonLines out = call.streamJson()) {
            out.write(Map.of("status", id.toString()));
        }
    }

    private void event(String action, Digest id, String name) {
        events.publish("image", action, id == null ? name : id.toString(), Map.of("name", name));
    }
}
