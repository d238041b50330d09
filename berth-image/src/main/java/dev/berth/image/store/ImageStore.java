package dev.berth.image.store;

import dev.berth.image.content.ContentStore;
import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Image records on disk, under {@code <data-root>/image/}:
 * <ul>
 * <li>{@code images/<hex>.json}, one per image, written once: id, config size, size, layers
 * (diff id, chain id, size, blob descriptor). The config itself is the blob named by the id.
 * <li>{@code references.json}: the list of images that exist, with their tags, digest
 * references and last tag time. This file is the commit point.
 * </ul>
 * A change writes new record files first, then replaces {@code references.json} (temp, fsync,
 * rename, fsync dir), then deletes the record files of removed images. Whenever a crash
 * strikes, the next {@link #open} sees the references file of before or of after the change;
 * record files it does not list are half-done work and are removed, and an image whose record or
 * config blob is unreadable is dropped rather than served broken.
 *
 * <p>Changes are synchronized; the image service adds its own lock around multi-step changes.
 * Reads take no lock: they see the state of the last finished change, published whole, so that a
 * listing never waits for a change's fsyncs (the daemon answers the image list on the thread that
 * read the request).
 */
public final class ImageStore {
    private static final System.Logger LOG = System.getLogger(ImageStore.class.getName());
    static final String REFERENCES = "references.json";

    private final Path dir;
    private final Path records;
    private final ContentStore content;
    /** The images as of the last finished change, in the order they were first recorded; replaced whole. */
    private volatile Published published = Published.EMPTY;
    /** Test hook: runs after each durable step ("record-written", "references-written", "record-deleted"). */
    private Consumer<String> afterStep = step -> {};

    private ImageStore(Path dir, ContentStore content) {
        this.dir = dir;
        this.records = dir.resolve("images");
        this.content = content;
    }

    /** Opens (creating) the store under {@code <dataRoot>/image}, cleaning what a crash left. */
    public static ImageStore open(Path dataRoot, ContentStore content) {
        ImageStore store = new ImageStore(dataRoot.toAbsolutePath().resolve("image"), content);
        AtomicFiles.createDirectories(store.records);
        store.load();
        return store;
    }

    void afterStep(Consumer<String> hook) {
        this.afterStep = hook;
    }

    private record Published(List<Image> list, Map<Digest, Image> byId) {
        static final Published EMPTY = new Published(List.of(), Map.of());

        static Published of(Map<Digest, Image> images) {
            return new Published(List.copyOf(images.values()), Map.copyOf(images));
        }
    }

    /** Every image, in the order they were first recorded; an immutable list. */
    public List<Image> images() {
        return published.list();
    }

    public Optional<Image> get(Digest id) {
        return Optional.ofNullable(published.byId().get(id));
    }

    /**
     * Makes a change durable: {@code upserts} are new images or new reference sets of existing
     * ones; {@code removals} are ids to forget. Blobs and snapshots are not touched here.
     */
    public synchronized void commit(Collection<Image> upserts, Collection<Digest> removals) {
        Map<Digest, Image> current = published.byId();
        Map<Digest, Image> next = new LinkedHashMap<>();
        published.list().forEach(image -> next.put(image.id(), image));
        for (Image image : upserts) {
            if (!image.id().algorithm().equals("sha256")) {
                throw BerthException.invalid("image id " + image.id() + ": only sha256 ids are supported");
            }
            if (!current.containsKey(image.id())) {
                AtomicFiles.write(recordPath(image.id()), recordJson(image));
                afterStep.accept("record-written");
            }
            next.put(image.id(), image);
        }
        for (Digest id : removals) {
            next.remove(id);
        }
        AtomicFiles.write(dir.resolve(REFERENCES), referencesJson(next.values()));
        afterStep.accept("references-written");
        published = Published.of(next);
        for (Digest id : removals) {
            if (!next.containsKey(id)) {
                AtomicFiles.delete(recordPath(id));
                afterStep.accept("record-deleted");
            }
        }
    }

    private Path recordPath(Digest id) {
        return records.resolve(id.hex() + ".json");
    }

    // ---- on disk ----

    private static byte[] recordJson(Image image) {
        List<Object> layers = new ArrayList<>();
        for (Image.Layer l : image.layers()) {
            layers.add(JsonObjectBuilder.create()
                    .put("diffId", l.diffId().toString())
                    .put("chainId", l.chainId().toString())
                    .put("size", l.size())
                    .omitNull("blob", l.blob().map(ImageJson::descriptorTree).orElse(null))
                    .build());
        }
        return Json.writePretty(JsonObjectBuilder.create()
                .put("id", image.id().toString())
                .put("configSize", image.configSize())
                .put("size", image.size())
                .put("layers", layers)
                .build()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] referencesJson(Collection<Image> all) {
        Map<String, Object> byId = new TreeMap<>();
        for (Image image : all) {
            List<Object> tags = new ArrayList<>();
            image.repoTags().forEach(r -> tags.add(r.toString()));
            List<Object> digests = new ArrayList<>();
            image.repoDigests().forEach(r -> digests.add(r.toString()));
            byId.put(image.id().toString(), JsonObjectBuilder.create()
                    .put("repoTags", tags)
                    .put("repoDigests", digests)
                    .omitNull("lastTagTime", image.lastTagTime().map(ImageConfig::formatTime).orElse(null))
                    .build());
        }
        return Json.writePretty(JsonObjectBuilder.create().put("images", byId).build()).getBytes(StandardCharsets.UTF_8);
    }

    private void load() {
        Path refsFile = dir.resolve(REFERENCES);
        JsonObject refs;
        try {
            String text = Files.readString(refsFile);
            refs = JsonObject.root(refsFile.toString(), Json.parse(text, refsFile.toString()));
        } catch (NoSuchFileException e) {
            refs = JsonObject.root(refsFile.toString(), Map.of());
        } catch (IOException e) {
            throw BerthException.internal("image store: read " + refsFile + ": " + e.getMessage(), e);
        }
        boolean dropped = false;
        Map<Digest, Image> loaded = new LinkedHashMap<>();
        Set<Reference> seen = new HashSet<>();
        Map<String, JsonObject> entries = refs.objectMap("images", o -> o);
        for (Map.Entry<String, JsonObject> entry : entries.entrySet()) {
            try {
                Image image = loadImage(Digest.parse(entry.getKey()), entry.getValue(), seen);
                loaded.put(image.id(), image);
            } catch (BerthException e) {
                LOG.log(System.Logger.Level.WARNING, "image store: dropping image " + entry.getKey() + ": " + e.getMessage());
                dropped = true;
            }
        }
        sweepUnlisted(loaded.keySet());
        published = Published.of(loaded);
        if (dropped) {
            AtomicFiles.write(refsFile, referencesJson(loaded.values()));
        }
    }

    private Image loadImage(Digest id, JsonObject meta, Set<Reference> seen) {
        Path recordFile = recordPath(id);
        JsonObject record;
        try {
            record = JsonObject.root(recordFile.toString(), Json.parse(Files.readString(recordFile), recordFile.toString()));
        } catch (IOException e) {
            throw BerthException.internal("read " + recordFile + ": " + e.getMessage(), e);
        }
        byte[] configBytes = content.read(id);
        ImageConfig config = ImageJson.parseConfig(configBytes);
        List<Image.Layer> layers = new ArrayList<>();
        for (JsonObject l : record.objectList("layers")) {
            Optional<Descriptor> blob = l.object("blob").map(ImageJson::descriptor);
            layers.add(new Image.Layer(
                    Digest.parse(l.string("diffId").orElseThrow(() -> l.error("diffId", "required"))),
                    Digest.parse(l.string("chainId").orElseThrow(() -> l.error("chainId", "required"))),
                    l.int64("size").orElse(0L),
                    blob));
        }
        List<Reference> tags = references(meta.strings("repoTags"), seen);
        List<Reference> digests = references(meta.strings("repoDigests"), seen);
        Optional<Instant> tagTime = meta.string("lastTagTime").flatMap(ImageConfig::parseTime);
        return new Image(id, config, configBytes.length, layers, tags, digests, record.int64("size").orElse(0L), tagTime);
    }

    /** A reference names one image: a repeat (only from a damaged file) keeps the first. */
    private static List<Reference> references(List<String> texts, Set<Reference> seen) {
        List<Reference> out = new ArrayList<>();
        for (String text : texts) {
            Reference r = Reference.parse(text);
            if (seen.add(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Removes record files the references file does not list, and temp files. */
    private void sweepUnlisted(Set<Digest> known) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(records)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                boolean listed = name.endsWith(".json") && Digest.isDigest("sha256:" + name.substring(0, name.length() - 5))
                        && known.contains(Digest.parse("sha256:" + name.substring(0, name.length() - 5)));
                if (!listed) {
                    LOG.log(System.Logger.Level.INFO, "image store: removing unfinished " + p);
                    AtomicFiles.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("image store: list " + records + ": " + e.getMessage(), e);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (AtomicFiles.isTemp(p)) {
                    AtomicFiles.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("image store: list " + dir + ": " + e.getMessage(), e);
        }
    }
}
