package dev.berth.image.registry;

import dev.berth.image.content.FileContentStore;
import dev.berth.image.io.AtomicFiles;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which registry repositories are known to hold a layer, and as which blob: what dockerd keeps
 * as its "v2 metadata" (distribution/metadata). Keyed by the layer's diff id, because a layer
 * may live in registries under several blobs (gzip at one level or another, or plain), and a
 * push knows the diff id before any blob. A pull adds the repository it fetched a layer from, a
 * push the repository it pushed or mounted a layer to; a later push asks the target repository
 * first (HEAD), then mounts from another repository of the same registry, and only then uploads.
 *
 * <p>A record is a hint, never the truth: the registry is always asked, and a blob it does not
 * have is {@link #forget}ed for that repository. One small JSON file per diff id under
 * {@code <data-root>/distribution/<alg>/<hex>.json}, written atomically; a file that does not
 * parse is treated as empty (it is only a hint) and rewritten on the next change.
 */
public final class BlobOrigins {
    private static final System.Logger LOG = System.getLogger(BlobOrigins.class.getName());
    /** Enough for a layer shared by many repositories; the oldest records go first. */
    static final int MAX_PER_LAYER = 32;

    /**
     * A blob of a layer, as a repository holds it.
     *
     * @param repository the full repository name, {@code 127.0.0.1:5000/app} or {@code docker.io/library/busybox}
     */
    public record Origin(Digest blob, String mediaType, long size, String repository) {
        public Origin {
            if (blob == null || mediaType == null || mediaType.isEmpty() || size < 0 || repository == null || repository.isEmpty()) {
                throw BerthException.invalid("blob origin: digest, media type, size and repository are required");
            }
        }

        /** The registry part of the repository ({@code 127.0.0.1:5000}). */
        public String domain() {
            int slash = repository.indexOf('/');
            return slash < 0 ? repository : repository.substring(0, slash);
        }

        /** The repository path in its registry ({@code app}, {@code library/busybox}). */
        public String path() {
            int slash = repository.indexOf('/');
            return slash < 0 ? "" : repository.substring(slash + 1);
        }
    }

    private final Path dir; // null: kept in memory only
    private final Map<Digest, List<Origin>> memory = new HashMap<>();

    private BlobOrigins(Path dir) {
        this.dir = dir;
    }

    /** Records kept in files under {@code dir} (created when first written). */
    public static BlobOrigins open(Path dir) {
        return new BlobOrigins(dir);
    }

    /** Records for this process only (tests, or a content store that is not on disk). */
    public static BlobOrigins inMemory() {
        return new BlobOrigins(null);
    }

    /**
     * The records of berthd's images: next to the content store, {@code <data-root>/distribution},
     * kept to the layers the images have ({@link #followRemovals}).
     */
    public static BlobOrigins forImages(ImageService images) {
        BlobOrigins origins = images.content() instanceof FileContentStore files
                ? open(files.root().resolveSibling("distribution")) : inMemory();
        return origins.followRemovals(images);
    }

    /**
     * Keeps the records to the layers {@code images} has: drops now those of layers no image (nor
     * a pull or push under way) has, as earlier versions left them, and from now on forgets a
     * layer once its last image is removed. A layer pulled again is recorded again by that pull.
     */
    public BlobOrigins followRemovals(ImageService images) {
        images.onUnusedDiffIds(this::forgetLayers);
        retainOnly(images.diffIdsInUse());
        return this;
    }

    /** Forgets every record of these layers. */
    public synchronized void forgetLayers(java.util.Collection<Digest> diffIds) {
        for (Digest d : diffIds) {
            if (dir == null) {
                memory.remove(d);
            } else {
                AtomicFiles.deleteQuietly(fileOf(d));
            }
        }
    }

    /** Forgets the records of every layer but these. */
    synchronized void retainOnly(java.util.Set<Digest> diffIds) {
        if (dir == null) {
            memory.keySet().retainAll(diffIds);
            return;
        }
        List<Digest> stale = new ArrayList<>();
        try (var algorithms = Files.list(dir)) {
            for (Path alg : algorithms.filter(Files::isDirectory).toList()) {
                try (var files = Files.list(alg)) {
                    for (Path f : files.toList()) {
                        String name = f.getFileName().toString();
                        String id = alg.getFileName() + ":" + name.replaceFirst("\\.json$", "");
                        // a temp file may be a write under way: only whole records are judged
                        if (name.endsWith(".json") && Digest.isDigest(id) && !diffIds.contains(Digest.parse(id))) {
                            stale.add(Digest.parse(id));
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return; // nothing recorded yet
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "blob origins: cannot list " + dir + ": " + e.getMessage());
            return;
        }
        forgetLayers(stale);
    }

    /** Every known blob of the layer, oldest first. */
    public synchronized List<Origin> of(Digest diffId) {
        return List.copyOf(load(diffId));
    }

    /** Records that {@code origin.repository()} holds the layer as {@code origin.blob()}; the newest record of a pair wins. */
    public synchronized void add(Digest diffId, Origin origin) {
        List<Origin> list = new ArrayList<>(load(diffId));
        boolean known = !list.isEmpty() && list.getLast().equals(origin);
        if (known) {
            return;
        }
        list.removeIf(o -> o.blob().equals(origin.blob()) && o.repository().equals(origin.repository()));
        list.add(origin);
        while (list.size() > MAX_PER_LAYER) {
            list.removeFirst();
        }
        store(diffId, list);
    }

    /** Forgets that {@code repository} holds {@code blob} (the registry said it does not). */
    public synchronized void forget(Digest diffId, Digest blob, String repository) {
        List<Origin> list = new ArrayList<>(load(diffId));
        if (list.removeIf(o -> o.blob().equals(blob) && o.repository().equals(repository))) {
            store(diffId, list);
        }
    }

    private List<Origin> load(Digest diffId) {
        if (dir == null) {
            return memory.getOrDefault(diffId, List.of());
        }
        Path file = fileOf(diffId);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw BerthException.internal("blob origins: read " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonObject root = JsonObject.root(file.toString(), Json.parse(text, file.toString()));
            List<Origin> out = new ArrayList<>();
            for (JsonObject o : root.objectList("origins")) {
                out.add(new Origin(
                        Digest.parse(o.string("digest").orElse("")),
                        o.string("mediaType").orElse(""),
                        o.int64("size").orElse(-1L),
                        o.string("repository").orElse("")));
            }
            return out;
        } catch (BerthException | ClassCastException e) {
            LOG.log(System.Logger.Level.WARNING, "blob origins: ignoring unreadable " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    private void store(Digest diffId, List<Origin> list) {
        if (dir == null) {
            memory.put(diffId, List.copyOf(list));
            return;
        }
        List<Object> origins = new ArrayList<>();
        for (Origin o : list) {
            origins.add(JsonObjectBuilder.create()
                    .put("digest", o.blob().toString())
                    .put("mediaType", o.mediaType())
                    .put("size", o.size())
                    .put("repository", o.repository())
                    .build());
        }
        Path file = fileOf(diffId);
        AtomicFiles.createDirectories(file.getParent());
        AtomicFiles.write(file, Json.write(JsonObjectBuilder.create().put("origins", origins).build()).getBytes(StandardCharsets.UTF_8));
    }

    private Path fileOf(Digest diffId) {
        return dir.resolve(diffId.algorithm()).resolve(diffId.hex() + ".json");
    }
}
