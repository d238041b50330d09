package dev.berth.image.archive;

import dev.berth.image.archive.ArchiveLoad.Verified;
import dev.berth.image.archive.ArchiveLoad.VerifiedLayer;
import dev.berth.image.archive.RootfsImport.ImportedLayer;
import dev.berth.image.content.ContentStore;
import dev.berth.image.content.Ingest;
import dev.berth.image.layer.LayerPacker;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Images in and out of files: {@code docker load} (docker-archive, Docker 25+'s layout, OCI
 * image layout), {@code docker save} (docker-archive or OCI layout) and {@code docker import}
 * (a root filesystem tarball with {@code --change}). Blobs go to and come from the content store
 * without extra copies; see {@link ArchiveLoad} and {@link ArchiveSave}.
 */
public final class ImageTransfer {
    /** What {@link #save} writes. */
    public enum Format {
        /** docker-archive as Docker 25+ writes it (also an OCI layout; docker 20.10 loads it too). */
        DOCKER,
        /** An OCI image layout alone: oci-layout, index.json, blobs/. */
        OCI
    }

    private final ContentStore content;
    private final Snapshotter snapshots;
    private final ImageRegistry images;
    private final Path tempDir;
    private final Platform platform;
    private final Clock clock;

    /**
     * Temp files (layers unpacked ahead during a load, decompressed layers for a save, bootstrap
     * work) go under {@code <dataRoot>/tmp}; what an earlier daemon left there when it died is
     * removed here, so construct one per data root, at start.
     */
    public ImageTransfer(Path dataRoot, ContentStore content, Snapshotter snapshots, ImageRegistry images) {
        this(dataRoot, content, snapshots, images, Platform.host(), Clock.systemUTC());
        TempFiles.sweep(tempDir);
    }

    ImageTransfer(Path dataRoot, ContentStore content, Snapshotter snapshots, ImageRegistry images, Platform platform, Clock clock) {
        this.content = content;
        this.snapshots = snapshots;
        this.images = images;
        this.tempDir = dataRoot.resolve("tmp");
        this.platform = platform;
        this.clock = clock;
    }

    /**
     * Loads every image of the archive and tags them; returns docker's lines ("Loaded image:
     * busybox:latest", "Loaded image ID: sha256:…", and "The image … already exists, renaming
     * the old one with ID … to empty string" when a tag moves).
     *
     * @throws BerthException INVALID_ARGUMENT for an archive that is not one, truncated, or
     *     inconsistent (digests, diff ids, names); no image or tag is added then
     */
    public List<String> load(InputStream archive) {
        List<String> messages = new ArrayList<>();
        load(archive, messages::add);
        return messages;
    }

    /**
     * {@link #load(InputStream)} that hands each of docker's lines to {@code messages} as soon as
     * its image is registered (the first after the whole archive is verified).
     */
    public void load(InputStream archive, java.util.function.Consumer<String> messages) {
        List<Verified> verified = new ArchiveLoad(content, snapshots, platform).run(archive);
        for (Verified v : verified) {
            List<ImageRegistry.Layer> layers = new ArrayList<>();
            for (VerifiedLayer l : v.layers()) {
                layers.add(new ImageRegistry.Layer(l.diffId(), l.chainId(), l.blob()));
            }
            Digest id = v.image().id();
            for (Reference tag : v.image().tags()) {
                images.imageOf(tag).filter(old -> !old.equals(id)).ifPresent(old -> messages.accept(
                        "The image " + tag.familiar() + " already exists, renaming the old one with ID " + old + " to empty string"));
            }
            register(v.image().configBytes(), layers, v.image().tags());
            if (v.image().tags().isEmpty()) {
                messages.accept("Loaded image ID: " + id);
            }
            for (Reference tag : v.image().tags()) {
                messages.accept("Loaded image: " + tag.familiar());
            }
        }
    }

    /**
     * Adds the image; when a concurrent prune took one of its snapshots between unpacking and
     * registering (the store then refuses with FAILED_PRECONDITION), unpacks it again from its
     * blob once and retries.
     */
    private Digest register(byte[] configBytes, List<ImageRegistry.Layer> layers, List<Reference> tags) {
        content.put(configBytes);
        try {
            return images.add(configBytes, layers, tags);
        } catch (BerthException e) {
            if (e.kind() != BerthException.Kind.FAILED_PRECONDITION) {
                throw e;
            }
            for (ImageRegistry.Layer l : layers) {
                if (!snapshots.hasLayer(l.chainId())) {
                    Digest parent = layers.indexOf(l) == 0 ? null : layers.get(layers.indexOf(l) - 1).chainId();
                    try (InputStream in = content.open(l.blob().digest())) {
                        snapshots.addLayer(l.chainId(), parent, l.diffId(), in);
                    } catch (IOException io) {
                        throw BerthException.internal("cannot read blob " + l.blob().digest() + ": " + io.getMessage(), io);
                    }
                }
            }
            content.put(configBytes);
            return images.add(configBytes, layers, tags);
        }
    }

    /** Writes the named images (docker's rules: a bare name means all its tags) to {@code out}, which is not closed. */
    public void save(List<String> names, OutputStream out, Format format) {
        List<ArchiveSave.Item> items = select(names);
        try {
            new ArchiveSave(content, tempDir).write(items, new TarWriter(out, 0), format);
        } catch (IOException e) {
            throw BerthException.internal("save: " + e.getMessage(), e);
        }
    }

    /** As {@link #save(List, OutputStream, Format)}, onto a channel: blobs go by sendfile. */
    public void save(List<String> names, WritableByteChannel out, Format format) {
        List<ArchiveSave.Item> items = select(names);
        try {
            new ArchiveSave(content, tempDir).write(items, new TarWriter(out, 0), format);
        } catch (IOException e) {
            throw BerthException.internal("save: " + e.getMessage(), e);
        }
    }

    /**
     * {@code docker import}: a single-layer image from a root filesystem tarball (plain, gzip or
     * zstd), with {@code --change} lines and a commit message; tagged when {@code tagOrNull} is given.
     *
     * @return the image id
     */
    public Digest importRootfs(InputStream tar, Reference tagOrNull, List<String> changes, String message) {
        Reference tag = tagOrNull == null ? null : tagOrNull.isTagged() || tagOrNull.isDigested() ? tagOrNull : tagOrNull.withDefaultTag();
        if (tag != null && tag.isDigested()) {
            throw BerthException.invalid("invalid reference format: cannot import to a digest reference " + tag.familiar());
        }
        // changes first: a bad --change should fail before the tarball is read
        ConfigChanges.apply(ImageConfig.Config.EMPTY, changes == null ? List.of() : changes);
        RootfsImport imports = new RootfsImport(content, snapshots);
        ImportedLayer layer = imports.storeLayer(tar);
        byte[] config = RootfsImport.config(platform, clock.instant(), layer.diffId(), changes, message);
        return register(config, List.of(new ImageRegistry.Layer(layer.diffId(), layer.diffId(), layer.blob())),
                tag == null ? List.of() : List.of(tag));
    }

    /**
     * An image of one layer made from a directory (the bootstrap images): the directory is packed
     * with {@link LayerPacker} (deterministic, uncompressed) into the content store, unpacked as
     * a snapshot, and given a config with {@code run}, one history entry saying how it was made
     * ({@code createdBy}) and the host platform.
     *
     * @return the image id
     */
    public Digest commitRootfs(Path rootfs, ImageConfig.Config run, String createdBy, List<Reference> tags) {
        Digest diffId;
        long size;
        try (Ingest ingest = content.ingest()) {
            diffId = new LayerPacker().pack(rootfs, ingest.stream());
            size = ingest.written();
            ingest.commit(diffId);
        }
        new RootfsImport(content, snapshots).unpackBase(diffId);
        Instant now = clock.instant();
        ImageConfig config = ImageConfig.of(platform, now, run, List.of(diffId), List.of(ImageConfig.History.of(now, createdBy, "", false)));
        byte[] configBytes = ImageJson.write(config);
        return register(configBytes, List.of(new ImageRegistry.Layer(diffId, diffId, Descriptor.of(MediaTypes.OCI_LAYER, diffId, size))), tags);
    }

    /** docker save's reading of names: id or name@digest → the image, untagged; name:tag → that tag; name → all its tags. */
    List<ArchiveSave.Item> select(List<String> names) {
        if (names.isEmpty()) {
            throw BerthException.invalid("save: no image names given");
        }
        Map<Digest, ImageRegistry.Stored> byId = new LinkedHashMap<>();
        Map<Digest, List<Reference>> tags = new LinkedHashMap<>();
        for (String name : names) {
            Reference ref = Reference.isValid(name) ? Reference.parse(name) : null;
            if (ref != null && !ref.isTagged() && !ref.isDigested()) {
                boolean any = false;
                for (ImageRegistry.Stored s : images.tagged()) {
                    for (Reference t : s.repoTags()) {
                        if (t.name().equals(ref.name())) {
                            byId.putIfAbsent(s.id(), s);
                            addTag(tags, s.id(), t);
                            any = true;
                        }
                    }
                }
                if (any) {
                    continue;
                }
            }
            ImageRegistry.Stored s = images.resolve(name);
            byId.putIfAbsent(s.id(), s);
            tags.computeIfAbsent(s.id(), k -> new ArrayList<>());
            if (ref != null && ref.isTagged() && !ref.isDigested()) {
                addTag(tags, s.id(), ref);
            }
        }
        List<ArchiveSave.Item> items = new ArrayList<>();
        for (ImageRegistry.Stored s : byId.values()) {
            List<ArchiveSave.Layer> layers = new ArrayList<>();
            for (ImageRegistry.Layer l : s.layers()) {
                if (l.blob() == null) {
                    throw BerthException.precondition("image " + s.id() + " keeps no blob for its layer " + l.diffId() + " and cannot be saved");
                }
                layers.add(new ArchiveSave.Layer(l.diffId(), l.blob()));
            }
            items.add(new ArchiveSave.Item(s.id(), layers, tags.get(s.id())));
        }
        return items;
    }

    private static void addTag(Map<Digest, List<Reference>> tags, Digest id, Reference tag) {
        List<Reference> list = tags.computeIfAbsent(id, k -> new ArrayList<>());
        if (!list.contains(tag)) {
            list.add(tag);
        }
    }
}
