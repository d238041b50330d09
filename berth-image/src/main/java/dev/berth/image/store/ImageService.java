package dev.berth.image.store;

import dev.berth.image.content.ContentStore;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The images of one daemon, as the Docker Engine API sees them: list with docker's filters,
 * inspect with docker's name and id resolution, history, tag, remove with docker's untag /
 * delete / conflict rules, prune that frees blobs and snapshots, disk usage, and {@link #add}
 * for importers.
 *
 * <p>Thread safety: one lock guards the records and references; it is held for lookups and the
 * small fsynced metadata writes of a change, never while snapshots or blobs are deleted. Layers
 * and blobs being deleted are marked under the lock, so that {@link #add} waits for them to be
 * gone and then finds them missing (FAILED_PRECONDITION) instead of recording an image whose
 * layers vanish under it. A pull or push takes an {@link ImageLease} instead: what it protects is
 * not deleted until it ends, so it never has to start again.
 */
public final class ImageService {
    private static final System.Logger LOG = System.getLogger(ImageService.class.getName());
    private static final Pattern FULL_HEX_ID = Pattern.compile("[a-f0-9]{64}");

    private final ImageStore store;
    private final ContentStore content;
    private final Snapshotter snapshotter;
    private final Object lock = new Object();
    private final GarbageCollector gc;
    private volatile ImageUsers users = ImageUsers.none();

    public ImageService(ImageStore store, ContentStore content, Snapshotter snapshotter) {
        this.store = store;
        this.content = content;
        this.snapshotter = snapshotter;
        this.gc = new GarbageCollector(content, snapshotter, lock);
    }

    /**
     * The daemon's start: opens the content store and image store under {@code dataRoot} over
     * {@code snapshotter}, then sweeps snapshots and blobs no image uses (nothing is in flight
     * yet, so what no image names is what a crash left behind).
     */
    public static ImageService open(Path dataRoot, Snapshotter snapshotter) {
        ContentStore content = FileContentStore.open(dataRoot);
        ImageService service = new ImageService(ImageStore.open(dataRoot, content), content, snapshotter);
        Set<Digest> swept = service.sweepOrphans();
        if (!swept.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "image store: removed " + swept.size() + " layers and blobs no image uses");
        }
        service.recordMissingLayers();
        return service;
    }

    /**
     * Hands the snapshotter, as pending ({@link Snapshotter#addLayerLater}), every image layer it
     * lacks but whose blob is kept: a load returns before its layers are unpacked, so a daemon
     * that stopped or died meanwhile left images whose snapshots do not exist yet (an unpack under
     * way leaves nothing: its snapshot appears by rename when complete).
     */
    private void recordMissingLayers() {
        for (Image image : store.images()) {
            Digest parent = null;
            for (Image.Layer l : image.layers()) {
                if (!snapshotter.hasLayer(l.chainId())) {
                    Optional<Descriptor> blob = l.blob().filter(b -> content.contains(b.digest()));
                    if (blob.isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, "image " + image.id() + ": layer " + l.diffId()
                                + " has neither a snapshot nor a blob; containers of this image cannot be created");
                        break;
                    }
                    Digest digest = blob.get().digest();
                    try {
                        snapshotter.addLayerLater(l.chainId(), parent, l.diffId(), l.size(), () -> content.open(digest));
                    } catch (BerthException e) {
                        LOG.log(System.Logger.Level.WARNING, "image " + image.id() + ": layer " + l.diffId()
                                + " cannot be unpacked: " + e.getMessage());
                        break;
                    }
                }
                parent = l.chainId();
            }
        }
    }

    /** The containers' hook (issue 4): who uses an image. */
    public void setUsers(ImageUsers users) {
        this.users = users;
    }

    /** The plain form of the containers' hook: whether a container uses the image id. */
    public void setInUse(Predicate<Digest> inUse) {
        this.users = ImageUsers.of(inUse);
    }

    public ContentStore content() {
        return content;
    }

    public Snapshotter snapshotter() {
        return snapshotter;
    }

    // ---- lookups ----

    /**
     * Resolves a name or id as docker does: {@code sha256:<hex>} or 64 hex is an exact id; else a
     * reference ({@code name}, {@code name:tag}, {@code name@digest}; no tag means latest); else
     * a unique prefix of an id, with or without {@code sha256:}.
     *
     * @throws BerthException NOT_FOUND "No such image: busybox:latest"; INVALID_ARGUMENT for a
     *     malformed reference
     */
    public Image inspect(String nameOrId) {
        synchronized (lock) {
            return resolve(nameOrId);
        }
    }

    /** Like {@link #inspect} but empty instead of NOT_FOUND. */
    public Optional<Image> find(String nameOrId) {
        try {
            return Optional.of(inspect(nameOrId));
        } catch (BerthException e) {
            if (e.kind() == BerthException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The image a reference names exactly (tag or digest), without id-prefix guessing. */
    public Optional<Image> byReference(Reference ref) {
        synchronized (lock) {
            return byRef(ref);
        }
    }

    private Image resolve(String nameOrId) {
        return resolveIn(store.images(), nameOrId);
    }

    /** docker's name resolution (id, name, unique id prefix) among {@code all}, one published state of the store. */
    private static Image resolveIn(List<Image> all, String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) {
            throw BerthException.invalid("invalid reference format");
        }
        if (Digest.isDigest(nameOrId) || FULL_HEX_ID.matcher(nameOrId).matches()) {
            Digest id = Digest.parse(nameOrId.contains(":") ? nameOrId : "sha256:" + nameOrId);
            return all.stream().filter(i -> i.id().equals(id)).findFirst()
                    .orElseThrow(() -> BerthException.notFound("No such image: " + id));
        }
        Reference ref = Reference.parse(nameOrId);
        Optional<Image> named = byRef(all, ref);
        if (named.isPresent()) {
            return named.get();
        }
        Optional<Image> byPrefix = byIdPrefix(all, nameOrId);
        return byPrefix.orElseThrow(() -> BerthException.notFound("No such image: " + ref.withDefaultTag().familiar()));
    }

    private Optional<Image> byRef(Reference ref) {
        return byRef(store.images(), ref);
    }

    private static Optional<Image> byRef(List<Image> all, Reference ref) {
        Reference key = ref.isDigested() ? ref.withoutTag() : ref.withDefaultTag();
        for (Image image : all) {
            if (key.isDigested() ? image.repoDigests().contains(key) : image.repoTags().contains(key)) {
                return Optional.of(image);
            }
        }
        return Optional.empty();
    }

    /** A unique id prefix (docker's truncated-id search); ambiguous or none is empty. */
    private static Optional<Image> byIdPrefix(List<Image> all, String prefix) {
        String hex = prefix.startsWith("sha256:") ? prefix.substring("sha256:".length()) : prefix;
        if (hex.isEmpty()) {
            return Optional.empty();
        }
        Image found = null;
        for (Image image : all) {
            if (image.id().hex().startsWith(hex)) {
                if (found != null) {
                    return Optional.empty();
                }
                found = image;
            }
        }
        return Optional.ofNullable(found);
    }

    // ---- list ----

    /**
     * docker images: newest first, with docker's filters {@code dangling}, {@code label},
     * {@code reference} (Go path patterns against the familiar name and name:tag; only the
     * matching tags are kept in the answer), {@code before}, {@code since} (an image name or id)
     * and {@code until} (a time or duration).
     */
    public List<Image> list(Map<String, List<String>> filters) {
        ImageFilters.validate(filters, ImageFilters.LIST_KEYS);
        boolean danglingOnly = ImageFilters.bool(filters, "dangling", false);
        boolean danglingGiven = filters.containsKey("dangling") && !ImageFilters.values(filters, "dangling").isEmpty();
        List<GoGlob> patterns = new ArrayList<>();
        for (String p : ImageFilters.values(filters, "reference")) {
            patterns.add(GoGlob.compile(p));
        }
        boolean referenceGiven = !patterns.isEmpty();
        List<String> labels = ImageFilters.values(filters, "label");
        Instant until = null;
        Instant now = Instant.now();
        for (String u : ImageFilters.values(filters, "until")) {
            until = ImageFilters.time(u, now);
        }
        List<Image> out = new ArrayList<>();
        // no lock: one published state of the store, so that a listing never waits for a change
        // under way (the daemon answers it on the thread that read the request)
        List<Image> all = store.images();
        Instant before = null;
        for (String b : ImageFilters.values(filters, "before")) {
            before = createdOrZero(resolveIn(all, b));
        }
        Instant since = null;
        for (String s : ImageFilters.values(filters, "since")) {
            since = createdOrZero(resolveIn(all, s));
        }
        for (Image image : all) {
            Instant created = createdOrZero(image);
            if (before != null && !created.isBefore(before)) {
                continue;
            }
            if (since != null && !created.isAfter(since)) {
                continue;
            }
            if (until != null && created.isAfter(until)) {
                continue;
            }
            if (!ImageFilters.labelsMatch(labels, image.config().config().labels())) {
                continue;
            }
            List<Reference> tags = image.repoTags();
            List<Reference> digests = image.repoDigests();
            if (referenceGiven) {
                tags = matching(tags, patterns);
                digests = matching(digests, patterns);
            }
            if (tags.isEmpty() && digests.isEmpty()) {
                // docker's "<none>" image: shown unless dangling=false or a reference filter is set
                if (danglingGiven && !danglingOnly || referenceGiven) {
                    continue;
                }
            } else if (danglingOnly && !tags.isEmpty()) {
                continue;
            }
            out.add(image.withReferences(tags, digests, image.lastTagTime()));
        }
        out.sort(Comparator.comparing(ImageService::createdOrZero).reversed().thenComparing(Image::id));
        return out;
    }

    private static List<Reference> matching(List<Reference> refs, List<GoGlob> patterns) {
        List<Reference> out = new ArrayList<>();
        for (Reference r : refs) {
            for (GoGlob g : patterns) {
                if (g.matches(r.familiar()) || g.matches(r.familiarName())) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    private static Instant createdOrZero(Image image) {
        return image.created().orElse(Instant.EPOCH);
    }

    // ---- history ----

    /** docker history: one row per config history entry, newest first; see {@link HistoryItem}. */
    public List<HistoryItem> history(String nameOrId) {
        Image image = inspect(nameOrId);
        List<ImageConfig.History> steps = image.config().history();
        List<HistoryItem> rows = new ArrayList<>(steps.size());
        int layer = 0;
        for (ImageConfig.History h : steps) {
            long size = 0;
            if (!h.emptyLayer()) {
                if (layer < image.layers().size()) {
                    size = image.layers().get(layer).size();
                }
                layer++;
            }
            long created = h.createdInstant().map(Instant::getEpochSecond).orElse(0L);
            rows.addFirst(new HistoryItem(HistoryItem.MISSING, created, h.createdBy(), List.of(), size, h.comment()));
        }
        if (!rows.isEmpty()) {
            HistoryItem top = rows.getFirst();
            rows.set(0, new HistoryItem(image.id().toString(), top.created(), top.createdBy(), image.familiarRepoTags(), top.size(), top.comment()));
        }
        return rows;
    }

    // ---- tag ----

    /**
     * docker tag: points {@code target} (no tag means latest) at the image, taking it from any
     * image that had it, and sets the image's last tag time.
     */
    public void tag(String nameOrId, Reference target) {
        Reference tag = checkTag(target);
        synchronized (lock) {
            Image image = resolve(nameOrId);
            store.commit(retag(image.id(), List.of(tag), Instant.now()), List.of());
        }
    }

    /** docker's rules for a new tag: no digest, and not "sha256" as a name (it would read as an id). */
    private static Reference checkTag(Reference target) {
        if (target.isDigested()) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        if (target.familiarName().equals("sha256") || target.familiarName().equals("sha512")) {
            throw BerthException.invalid("refusing to create an ambiguous tag using digest algorithm as name");
        }
        return target.withDefaultTag();
    }

    /** The images changed by pointing {@code tags} at {@code id}: the previous holders lose them. */
    private List<Image> retag(Digest id, Collection<Reference> tags, Instant now) {
        Map<Digest, Image> changed = new LinkedHashMap<>();
        for (Image other : store.images()) {
            if (other.id().equals(id)) {
                continue;
            }
            List<Reference> kept = new ArrayList<>(other.repoTags());
            if (kept.removeAll(tags)) {
                changed.put(other.id(), other.withReferences(kept, other.repoDigests(), other.lastTagTime()));
            }
        }
        Image image = store.get(id).orElseThrow();
        Set<Reference> all = new LinkedHashSet<>(image.repoTags());
        all.addAll(tags);
        List<Reference> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Reference::familiar));
        changed.put(id, image.withReferences(sorted, image.repoDigests(), tags.isEmpty() ? image.lastTagTime() : Optional.of(now)));
        return new ArrayList<>(changed.values());
    }

    /** The images changed by giving {@code id} the digest references (without tags); previous holders lose them. */
    private List<Image> redigest(Digest id, Collection<Reference> digests) {
        List<Reference> keys = digests.stream().map(Reference::withoutTag).toList();
        Map<Digest, Image> changed = new LinkedHashMap<>();
        for (Image other : store.images()) {
            if (!other.id().equals(id)) {
                List<Reference> kept = new ArrayList<>(other.repoDigests());
                if (kept.removeAll(keys)) {
                    changed.put(other.id(), other.withReferences(other.repoTags(), kept, other.lastTagTime()));
                }
            }
        }
        Image image = store.get(id).orElseThrow();
        Set<Reference> all = new LinkedHashSet<>(image.repoDigests());
        all.addAll(keys);
        List<Reference> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Reference::familiar));
        changed.put(id, image.withReferences(image.repoTags(), sorted, image.lastTagTime()));
        return new ArrayList<>(changed.values());
    }

    // ---- add ----

    /**
     * Records an image whose layers are already snapshots (by chain id; unpacked, or recorded
     * to be unpacked later) and whose
     * layer blobs, if any, are in the content store; stores the config blob; points
     * {@code tags} (no tag means latest) at it. Adding an image that exists only adds the tags.
     *
     * @param layerBlobs empty (no blobs kept) or one descriptor per layer, bottom first
     * @throws BerthException INVALID_ARGUMENT for a bad config or blob list; FAILED_PRECONDITION
     *     when a snapshot or blob is missing (unpack or store it first, and again if a
     *     concurrent prune removed it)
     */
    public Image add(byte[] configBytes, List<Descriptor> layerBlobs, List<Reference> tags) {
        ImageConfig config = ImageJson.parseConfig(configBytes);
        if (!layerBlobs.isEmpty() && layerBlobs.size() != config.diffIds().size()) {
            throw BerthException.invalid("image config has " + config.diffIds().size() + " layers, got " + layerBlobs.size() + " layer blobs");
        }
        List<Optional<Descriptor>> blobs = new ArrayList<>();
        for (int i = 0; i < config.diffIds().size(); i++) {
            blobs.add(layerBlobs.isEmpty() ? Optional.empty() : Optional.of(layerBlobs.get(i)));
        }
        return add(configBytes, blobs, tags, List.of());
    }

    /**
     * {@link #add(byte[], List, List)} with a blob per layer where one is kept (a pull keeps
     * none for a layer whose snapshot existed already), and {@code repoDigests}
     * ({@code 127.0.0.1:5000/x@sha256:…}, the manifest a pull or push went through: docker's
     * RepoDigests), each taken from any other image that had it.
     */
    public Image add(byte[] configBytes, List<Optional<Descriptor>> layerBlobs, List<Reference> tags, List<Reference> repoDigests) {
        for (Reference d : repoDigests) {
            if (!d.isDigested()) {
                throw BerthException.invalid("repo digest " + d + " has no digest");
            }
        }
        ImageConfig config = ImageJson.parseConfig(configBytes);
        List<Digest> diffIds = config.diffIds();
        if (layerBlobs.size() != diffIds.size()) {
            throw BerthException.invalid("image config has " + diffIds.size() + " layers, got " + layerBlobs.size() + " layer blobs");
        }
        List<Reference> tagList = new ArrayList<>();
        for (Reference t : tags) {
            tagList.add(checkTag(t));
        }
        List<Digest> chains = ChainId.all(diffIds);
        Digest id = content.put(configBytes);
        synchronized (lock) {
            gc.awaitNotDeleting(id, chains, layerBlobs.stream().flatMap(Optional::stream).toList());
            if (!content.contains(id)) {
                content.put(configBytes); // a concurrent delete of the same image took it meanwhile
            }
            Image image = store.get(id).orElse(null);
            if (image == null) {
                List<Image.Layer> layers = new ArrayList<>(chains.size());
                long size = 0;
                for (int i = 0; i < chains.size(); i++) {
                    Digest chain = chains.get(i);
                    if (!snapshotter.hasLayer(chain)) {
                        throw BerthException.precondition("layer " + diffIds.get(i) + " (chain " + chain + ") is not unpacked");
                    }
                    long layerSize = snapshotter.sizeOf(chain); // known before a pending layer is unpacked
                    Optional<Descriptor> blob = layerBlobs.get(i);
                    if (blob.isPresent() && !content.contains(blob.get().digest())) {
                        throw BerthException.precondition("blob " + blob.get().digest() + " not found in the content store");
                    }
                    if (blob.isEmpty()) {
                        blob = keptBlobOf(diffIds.get(i));
                    }
                    layers.add(new Image.Layer(diffIds.get(i), chain, layerSize, blob));
                    size += layerSize;
                }
                image = new Image(id, config, configBytes.length, layers, List.of(), List.of(), size, Optional.empty());
                store.commit(List.of(image), List.of());
            }
            if (!tagList.isEmpty()) {
                store.commit(retag(id, tagList, Instant.now()), List.of());
            }
            if (!repoDigests.isEmpty()) {
                store.commit(redigest(id, repoDigests), List.of());
            }
            return store.get(id).orElseThrow();
        }
    }

    /**
     * A blob the store keeps for this layer under another image, or its plain tar (whose digest
     * is the diff id). A pull that finds a layer's snapshot downloads nothing, and an image that
     * keeps no blob of a layer can be neither saved nor pushed byte for byte: a snapshot need not
     * pack back to the tar it came from. Naming the blob here also keeps the garbage collector
     * from deleting it while this image lives. Called holding the lock; a blob being deleted is
     * passed over.
     */
    private Optional<Descriptor> keptBlobOf(Digest diffId) {
        for (Image other : store.images()) {
            for (Image.Layer l : other.layers()) {
                if (l.diffId().equals(diffId) && l.blob().isPresent()) {
                    Digest d = l.blob().get().digest();
                    if (!gc.isDeleting(d) && content.contains(d)) {
                        return l.blob();
                    }
                }
            }
        }
        if (!gc.isDeleting(diffId) && content.contains(diffId)) {
            return Optional.of(Descriptor.of(MediaTypes.OCI_LAYER, diffId, content.size(diffId)));
        }
        return Optional.empty();
    }

    // ---- remove ----

    /**
     * docker rmi. A name removes that reference (no tag means latest) and then deletes the image
     * if nothing else names it; an id deletes the image, which needs force when several
     * repositories name it. Running containers block deletion even with force; stopped ones
     * block it without. Layers and blobs no other image uses are deleted too, and listed.
     * {@code noPrune} is accepted for the API; berth records no parent images to prune.
     *
     * <p>The containers' hook ({@link #setUsers}) is called without the service lock held.
     */
    public List<DeleteResponseItem> remove(String nameOrId, boolean force, boolean noPrune) {
        // the containers' hook is asked outside the lock (it may take the engine's locks, and the
        // engine calls in here): resolve, ask, then re-resolve and retry if the name moved meanwhile
        for (int attempt = 0; ; attempt++) {
            Digest id = inspect(nameOrId).id();
            List<ImageUsers.User> using = users.users(id);
            Optional<List<DeleteResponseItem>> done = remove(nameOrId, id, using, force);
            if (done.isPresent()) {
                return done.get();
            }
            if (attempt == 10) {
                throw BerthException.conflict("conflict: image " + nameOrId + " keeps changing; retry");
            }
        }
    }

    /** One attempt of {@link #remove}; empty when {@code nameOrId} no longer names {@code expected}. */
    private Optional<List<DeleteResponseItem>> remove(String nameOrId, Digest expected, List<ImageUsers.User> using, boolean force) {
        List<DeleteResponseItem> items = new ArrayList<>();
        GarbageCollector.Batch garbage;
        synchronized (lock) {
            Image image = resolve(nameOrId);
            if (!image.id().equals(expected)) {
                return Optional.empty();
            }
            List<Reference> refs = sortedRefs(image);
            List<Reference> removedRefs = new ArrayList<>();
            boolean quiet = false;
            if (!DeleteRules.isIdPrefix(image.id(), nameOrId)) {
                if (!force && DeleteRules.isSingleReference(refs)) {
                    Optional<ImageUsers.User> user = using.stream().findFirst();
                    if (user.isPresent()) {
                        throw BerthException.conflict("conflict: unable to remove repository reference \"" + nameOrId
                                + "\" (must force) - container " + DeleteRules.shortId(user.get().containerId())
                                + " is using its referenced image " + image.id().shortHex());
                    }
                }
                Reference parsed = Reference.parse(nameOrId);
                Reference removed = parsed.isDigested() ? parsed.withoutTag() : parsed.withDefaultTag();
                removedRefs.add(removed);
                items.add(DeleteResponseItem.untagged(removed.familiar()));
                List<Reference> remaining = new ArrayList<>(refs);
                remaining.remove(removed);
                if (!removed.isDigested()) {
                    boolean tagLeftInRepo = remaining.stream().anyMatch(r -> !r.isDigested() && r.name().equals(removed.name()));
                    if (!tagLeftInRepo) {
                        for (Reference r : List.copyOf(remaining)) {
                            if (r.isDigested() && r.name().equals(removed.name())) {
                                remaining.remove(r);
                                removedRefs.add(r);
                                items.add(DeleteResponseItem.untagged(r.familiar()));
                            }
                        }
                    }
                }
                if (!remaining.isEmpty()) {
                    store.commit(List.of(withoutRefs(image, removedRefs)), List.of());
                    return Optional.of(items);
                }
                quiet = true;
            } else if (DeleteRules.isSingleReference(refs)) {
                DeleteRules.conflict(image, using, force ? Set.of() : Set.of(DeleteRules.Soft.STOPPED_CONTAINER)).ifPresent(c -> {
                    throw c.exception();
                });
                for (Reference r : refs) {
                    removedRefs.add(r);
                    items.add(DeleteResponseItem.untagged(r.familiar()));
                }
            }
            Image afterUntag = withoutRefs(image, removedRefs);
            Set<DeleteRules.Soft> soft = force ? Set.of() : Set.of(DeleteRules.Soft.REFERENCE, DeleteRules.Soft.STOPPED_CONTAINER);
            Optional<DeleteRules.Conflict> conflict = DeleteRules.conflict(afterUntag, using, soft);
            if (conflict.isPresent()) {
                if (quiet && (!afterUntag.dangling() || conflict.get().used())) {
                    // the reference is gone; the image stays, as docker does, without complaint
                    store.commit(List.of(afterUntag), List.of());
                    return Optional.of(items);
                }
                throw conflict.get().exception();
            }
            for (Reference r : sortedRefs(afterUntag)) {
                items.add(DeleteResponseItem.untagged(r.familiar()));
            }
            store.commit(List.of(), List.of(image.id()));
            items.add(DeleteResponseItem.deleted(image.id().toString()));
            garbage = gc.afterRemoving(List.of(image), store.images());
        }
        items.addAll(garbage.delete());
        return Optional.of(items);
    }

    private static List<Reference> sortedRefs(Image image) {
        List<Reference> refs = new ArrayList<>(image.references());
        refs.sort(Comparator.comparing(Reference::familiar));
        return refs;
    }

    private static Image withoutRefs(Image image, Collection<Reference> removed) {
        List<Reference> tags = new ArrayList<>(image.repoTags());
        tags.removeAll(removed);
        List<Reference> digests = new ArrayList<>(image.repoDigests());
        digests.removeAll(removed);
        return image.withReferences(tags, digests, image.lastTagTime());
    }

    // ---- prune ----

    /**
     * docker image prune: without {@code all}, images no tag names; with it, every image no
     * container uses. Filters: {@code dangling} (false means all), {@code until},
     * {@code label}, {@code label!}. Space reclaimed counts the deleted layers, as docker does.
     */
    public PruneReport prune(boolean all, Map<String, List<String>> filters) {
        ImageFilters.validate(filters, ImageFilters.PRUNE_KEYS);
        boolean danglingOnly = !all && ImageFilters.bool(filters, "dangling", true);
        Instant until = null;
        for (String u : ImageFilters.values(filters, "until")) {
            until = ImageFilters.time(u, Instant.now());
        }
        List<String> labels = ImageFilters.values(filters, "label");
        List<String> notLabels = ImageFilters.values(filters, "label!");
        List<Image> candidates = new ArrayList<>();
        Map<Digest, Long> layerSizes = new HashMap<>();
        synchronized (lock) {
            for (Image image : store.images()) {
                image.layers().forEach(l -> layerSizes.put(l.chainId(), l.size()));
                if (until != null && createdOrZero(image).isAfter(until)) {
                    continue;
                }
                Map<String, String> imageLabels = image.config().config().labels();
                if (!ImageFilters.labelsMatch(labels, imageLabels) || !ImageFilters.labelsExclude(notLabels, imageLabels)) {
                    continue;
                }
                if (danglingOnly && !image.dangling()) {
                    continue;
                }
                candidates.add(image);
            }
        }
        List<DeleteResponseItem> deleted = new ArrayList<>();
        for (Image image : candidates) {
            if (!users.users(image.id()).isEmpty()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (Reference r : sortedRefs(image)) {
                names.add(r.toString());
            }
            if (names.isEmpty()) {
                names.add(image.id().toString());
            }
            for (String name : names) {
                try {
                    deleted.addAll(remove(name, false, false));
                } catch (BerthException e) {
                    if (e.kind() != BerthException.Kind.CONFLICT && e.kind() != BerthException.Kind.NOT_FOUND) {
                        throw e;
                    }
                    LOG.log(System.Logger.Level.DEBUG, "prune: skipping " + name + ": " + e.getMessage());
                }
            }
        }
        long reclaimed = 0;
        for (DeleteResponseItem item : deleted) {
            if (!item.isUntagged()) {
                Long size = layerSizes.get(Digest.parse(item.deleted()));
                reclaimed += size == null ? 0 : size;
            }
        }
        return new PruneReport(deleted, reclaimed);
    }

    // ---- disk usage ----

    /** The image part of /system/df: sizes with shared layers counted, containers per image. */
    public DiskUsage diskUsage() {
        List<Image> images;
        synchronized (lock) {
            images = store.images();
        }
        Map<Digest, Integer> layerUsers = new HashMap<>();
        Map<Digest, Long> layerSize = new HashMap<>();
        for (Image image : images) {
            for (Image.Layer l : new LinkedHashSet<>(image.layers())) {
                layerUsers.merge(l.chainId(), 1, Integer::sum);
                layerSize.put(l.chainId(), l.size());
            }
        }
        long total = layerSize.values().stream().mapToLong(Long::longValue).sum();
        List<DiskUsage.ImageUsage> usages = new ArrayList<>();
        for (Image image : images) {
            long shared = 0;
            for (Image.Layer l : image.layers()) {
                if (layerUsers.get(l.chainId()) > 1) {
                    shared += l.size();
                }
            }
            usages.add(new DiskUsage.ImageUsage(image, shared, users.users(image.id()).size()));
        }
        usages.sort(Comparator.comparing((DiskUsage.ImageUsage u) -> createdOrZero(u.image())).reversed());
        return new DiskUsage(total, usages);
    }

    // ---- leases ----

    /**
     * A lease for a pull or a push: what it protects stays in the stores until it is closed
     * (see {@link ImageLease}). Close it when the image is recorded (or the transfer ends).
     */
    public ImageLease lease() {
        ImageLease lease = new ImageLease(this);
        synchronized (lock) {
            gc.opened(lease);
        }
        return lease;
    }

    void protect(ImageLease lease, Digest configId, List<Digest> diffIds, Collection<Digest> layerBlobs) {
        List<Digest> chains = ChainId.all(diffIds);
        List<Digest> blobs = new ArrayList<>(layerBlobs);
        blobs.add(configId);
        synchronized (lock) {
            // a deletion already under way finishes first: what the caller then finds present stays
            gc.awaitNotDeleting(chains, blobs);
            lease.layers.addAll(chains);
            lease.diffIds.addAll(diffIds);
            lease.blobs.addAll(blobs);
        }
    }

    Optional<Image> hold(ImageLease lease, Digest imageId) {
        synchronized (lock) {
            // a recorded image's content is never marked for deletion: no waiting needed
            Optional<Image> image = store.get(imageId);
            image.ifPresent(i -> {
                lease.blobs.add(i.id());
                for (Image.Layer l : i.layers()) {
                    lease.layers.add(l.chainId());
                    lease.diffIds.add(l.diffId());
                    l.blob().ifPresent(b -> lease.blobs.add(b.digest()));
                }
            });
            return image;
        }
    }

    void release(ImageLease lease) {
        GarbageCollector.Batch garbage;
        synchronized (lock) {
            garbage = gc.released(lease, store.images());
        }
        garbage.delete();
    }

    /**
     * Calls {@code listener} (without the service's lock) with the diff ids no image has any more,
     * after removals deleted their last image: the registry's blob origins forget them.
     */
    public void onUnusedDiffIds(java.util.function.Consumer<Set<Digest>> listener) {
        gc.onUnusedDiffIds(listener);
    }

    /** The diff ids of every recorded image's layers, and those an open lease protects. */
    public Set<Digest> diffIdsInUse() {
        Set<Digest> out = new java.util.HashSet<>();
        synchronized (lock) {
            for (Image image : store.images()) {
                image.layers().forEach(l -> out.add(l.diffId()));
            }
            out.addAll(gc.leasedDiffIds());
        }
        return out;
    }

    // ---- garbage ----

    /**
     * Deletes snapshots and blobs that no image uses. Call it before serving (at daemon start),
     * when no import is in flight: it cleans what a crash between "unpacked" and "recorded" left.
     * Returns the deleted layers' chain ids and blob digests.
     */
    public Set<Digest> sweepOrphans() {
        GarbageCollector.Batch garbage;
        synchronized (lock) {
            garbage = gc.orphans(store.images());
        }
        Set<Digest> out = new LinkedHashSet<>();
        for (DeleteResponseItem item : garbage.delete()) {
            out.add(Digest.parse(item.deleted()));
        }
        out.addAll(garbage.blobs());
        return out;
    }
}
