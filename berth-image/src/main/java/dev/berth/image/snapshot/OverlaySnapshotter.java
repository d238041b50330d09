package dev.berth.image.snapshot;

import dev.berth.image.io.FileTrees;
import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.layer.UnpackResult;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots for overlayfs under {@code <data-root>/snapshots/}, laid out like containerd's:
 *
 * <pre>
 *   snapshots/&lt;n&gt;/fs            a layer's files (an overlay lower dir); n is a small number,
 *   snapshots/&lt;n&gt;/layer.json    so that many lowerdir= paths fit in one mount's 4 KiB of options
 *   snapshots/containers/&lt;key&gt;/{upper,work,parent}
 *   snapshots/tmp-*            work in progress, removed on start
 * </pre>
 *
 * A layer is unpacked into a tmp- directory, its layer.json written and synced, and the whole
 * directory renamed to its number: the rename is the commit, so a crash leaves either nothing
 * or a complete layer. Removal renames back to tmp- first. The index (chain id → layer) lives in
 * memory, rebuilt from the layer.json files on start.
 */
public final class OverlaySnapshotter implements Snapshotter {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String TMP = "tmp-";

    private final Path root;
    private final Path containers;
    private final LayerUnpacker unpacker;
    private final Map<Digest, LayerSnapshot> layers = new HashMap<>();
    private final Map<String, Digest> containerParents = new HashMap<>();
    private long nextId = 1;

    /** Opens (creating if needed) the snapshots under {@code dataRoot}; removes half-done work. */
    public OverlaySnapshotter(Path dataRoot) {
        this(dataRoot, new LayerUnpacker());
    }

    public OverlaySnapshotter(Path dataRoot, LayerUnpacker unpacker) {
        this.root = dataRoot.resolve("snapshots");
        this.containers = root.resolve("containers");
        this.unpacker = unpacker;
        try {
            Files.createDirectories(containers);
            load();
        } catch (IOException e) {
            throw BerthException.internal("opening snapshots in " + root + ": " + e.getMessage(), e);
        }
    }

    /** The directory holding everything (for disk usage and tests). */
    public Path root() {
        return root;
    }

    private void load() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(TMP)) {
                    FileTrees.delete(p);
                } else if (name.chars().allMatch(Character::isDigit)) {
                    loadLayer(p, Long.parseLong(name));
                }
            }
        }
        try (Stream<Path> s = Files.list(containers)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(TMP)) {
                    FileTrees.delete(p);
                } else {
                    String parent = Files.readString(p.resolve("parent"), StandardCharsets.US_ASCII).trim();
                    containerParents.put(name, parent.isEmpty() ? null : Digest.parse(parent));
                }
            }
        }
    }

    private void loadLayer(Path dir, long id) throws IOException {
        nextId = Math.max(nextId, id + 1);
        Path json = dir.resolve(LayerRecord.FILE);
        try {
            LayerSnapshot l = LayerRecord.read(Files.readAllBytes(json), dir.resolve("fs"), json.toString());
            layers.put(l.chainId(), l);
        } catch (NoSuchFileException | BerthException e) {
            // only a hand-made or damaged directory can lack a good layer.json: it is not a layer
            FileTrees.delete(dir);
        }
    }

    @Override
    public synchronized boolean hasLayer(Digest chainId) {
        return layers.containsKey(chainId);
    }

    /**
     * {@inheritDoc} The chain id must be the one {@code parent} and the unpacked diff id give. When
     * the layer exists already, the stream is still read to its end (a caller may be teeing it
     * into the content store) but not unpacked.
     */
    @Override
    public LayerSnapshot addLayer(Digest chainId, Digest parent, Digest expectedDiffId, InputStream layer) {
        synchronized (this) {
            LayerSnapshot existing = layers.get(chainId);
            if (existing != null) {
                drain(layer);
                return existing;
            }
            requireParent(chainId, parent);
        }
        Path tmp = root.resolve(TMP + UUID.randomUUID());
        try {
            Files.createDirectory(tmp);
            UnpackResult r = unpacker.unpack(layer, tmp.resolve("fs"));
            if (expectedDiffId != null && !expectedDiffId.equals(r.diffId())) {
                throw BerthException.invalid("layer diff id mismatch: want " + expectedDiffId + ", got " + r.diffId());
            }
            Digest computed = ChainId.of(parent, r.diffId());
            if (!computed.equals(chainId)) {
                throw BerthException.invalid("layer chain id mismatch: want " + chainId + ", got " + computed);
            }
            writeSynced(tmp.resolve(LayerRecord.FILE), LayerRecord.write(chainId, parent, r.diffId(), r.size()));
            return commit(tmp, new LayerSnapshot(chainId, parent, r.diffId(), r.size(), null));
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            throw BerthException.internal("adding layer " + chainId + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(tmp);
            throw e;
        }
    }

    private synchronized LayerSnapshot commit(Path tmp, LayerSnapshot unpacked) throws IOException {
        LayerSnapshot existing = layers.get(unpacked.chainId());
        if (existing != null) { // a concurrent adder of the same layer won
            FileTrees.deleteQuietly(tmp);
            return existing;
        }
        requireParent(unpacked.chainId(), unpacked.parentChainId());
        while (true) {
            Path dir = root.resolve(Long.toString(nextId++));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                continue; // a number left by someone else: take the next one
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(e);
            }
            syncDir(root);
            LayerSnapshot l = new LayerSnapshot(unpacked.chainId(), unpacked.parentChainId(), unpacked.diffId(),
                    unpacked.size(), dir.resolve("fs"));
            layers.put(l.chainId(), l);
            return l;
        }
    }

    private void requireParent(Digest chainId, Digest parent) {
        if (parent != null && !layers.containsKey(parent)) {
            throw BerthException.precondition("parent layer " + parent + " of layer " + chainId + " does not exist");
        }
    }

    @Override
    public boolean canAdoptLayers() {
        return true;
    }

    /** {@inheritDoc} The directory is renamed into a tmp- directory here, recorded and committed as {@link #addLayer} does. */
    @Override
    public LayerSnapshot adoptLayer(Digest chainId, Digest parent, UnpackResult unpacked, Path unpackedDir) {
        Digest computed = ChainId.of(parent, unpacked.diffId());
        if (!computed.equals(chainId)) {
            throw BerthException.invalid("layer chain id mismatch: want " + chainId + ", got " + computed);
        }
        synchronized (this) {
            LayerSnapshot existing = layers.get(chainId);
            if (existing != null) {
                return existing;
            }
            requireParent(chainId, parent);
        }
        Path tmp = root.resolve(TMP + UUID.randomUUID());
        try {
            Files.createDirectory(tmp);
            Files.move(unpackedDir, tmp.resolve("fs"), StandardCopyOption.ATOMIC_MOVE);
            writeSynced(tmp.resolve(LayerRecord.FILE), LayerRecord.write(chainId, parent, unpacked.diffId(), unpacked.size()));
            return commit(tmp, new LayerSnapshot(chainId, parent, unpacked.diffId(), unpacked.size(), null));
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            throw BerthException.internal("adopting layer " + chainId + " from " + unpackedDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(tmp);
            throw e;
        }
    }

    @Override
    public synchronized LayerSnapshot layer(Digest chainId) {
        LayerSnapshot l = layers.get(chainId);
        if (l == null) {
            throw BerthException.notFound("layer " + chainId + " not found");
        }
        return l;
    }

    @Override
    public synchronized List<Path> lowerDirs(Digest topChainId) {
        List<Path> dirs = new ArrayList<>();
        for (Digest d = topChainId; d != null; ) {
            LayerSnapshot l = d.equals(topChainId) ? layer(d) : layers.get(d);
            if (l == null) {
                throw BerthException.internal("layer " + d + " below " + topChainId + " is missing");
            }
            dirs.add(l.dir());
            d = l.parentChainId();
        }
        return List.copyOf(dirs);
    }

    @Override
    public void removeLayer(Digest chainId) {
        Path doomed;
        synchronized (this) {
            LayerSnapshot l = layer(chainId);
            for (LayerSnapshot other : layers.values()) {
                if (chainId.equals(other.parentChainId())) {
                    throw BerthException.precondition("layer " + chainId + " is the parent of layer " + other.chainId());
                }
            }
            for (Map.Entry<String, Digest> c : containerParents.entrySet()) {
                if (chainId.equals(c.getValue())) {
                    throw BerthException.precondition("layer " + chainId + " is in use by container snapshot \""
                            + c.getKey() + "\"");
                }
            }
            Path dir = l.dir().getParent();
            doomed = root.resolve(TMP + "removed-" + dir.getFileName() + "-" + UUID.randomUUID());
            try {
                Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
                syncDir(root);
            } catch (IOException e) {
                throw BerthException.internal("removing layer " + chainId + ": " + e.getMessage(), e);
            }
            layers.remove(chainId);
        }
        FileTrees.deleteQuietly(doomed);
    }

    @Override
    public synchronized Set<Digest> layers() {
        return Set.copyOf(new TreeSet<>(layers.keySet()));
    }

    /**
     * Not fsynced: the one caller, the engine's create, writes the container's record durably
     * right after (on a journaling file system that commit carries these entries with it), and
     * prepares the layer again when it opens and finds a record whose layer a power loss took.
     */
    @Override
    public ContainerMount prepare(String key, Digest parent) {
        if (key == null || !KEY.matcher(key).matches() || key.startsWith(TMP)) {
            throw BerthException.invalid("invalid snapshot key \"" + key + "\"");
        }
        synchronized (this) {
            if (containerParents.containsKey(key)) {
                throw BerthException.conflict("snapshot key \"" + key + "\" already exists");
            }
            if (parent != null) {
                layer(parent);
            }
            Path tmp = containers.resolve(TMP + key + "-" + UUID.randomUUID());
            Path dir = containers.resolve(key);
            try {
                Files.createDirectories(tmp.resolve("upper"));
                Files.createDirectories(tmp.resolve("work"));
                if (parent == null) {
                    Files.createDirectories(tmp.resolve("lower")); // overlay wants at least one lower dir
                }
                Files.write(tmp.resolve("parent"),
                        (parent == null ? "" : parent.toString()).getBytes(StandardCharsets.US_ASCII));
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                FileTrees.deleteQuietly(tmp);
                throw BerthException.internal("preparing snapshot \"" + key + "\": " + e.getMessage(), e);
            }
            containerParents.put(key, parent);
            return mount(key, parent);
        }
    }

    @Override
    public synchronized Set<String> containerKeys() {
        return Set.copyOf(containerParents.keySet());
    }

    /** The mount of an existing container snapshot; NOT_FOUND when absent. */
    public synchronized ContainerMount mount(String key) {
        if (!containerParents.containsKey(key)) {
            throw BerthException.notFound("snapshot \"" + key + "\" not found");
        }
        return mount(key, containerParents.get(key));
    }

    private ContainerMount mount(String key, Digest parent) {
        Path dir = containers.resolve(key);
        List<Path> lower = parent == null ? List.of(dir.resolve("lower")) : lowerDirs(parent);
        return new ContainerMount(lower, dir.resolve("upper"), dir.resolve("work"));
    }

    @Override
    public void remove(String key) {
        Optional<Path> doomed = detach(key);
        if (doomed.isPresent()) {
            try {
                syncDir(containers);
            } catch (IOException e) {
                throw BerthException.internal("removing snapshot \"" + key + "\": " + e.getMessage(), e);
            }
            FileTrees.deleteQuietly(doomed.get());
        }
    }

    /**
     * Renames the snapshot to a tmp- name (swept at the next open if the caller never deletes
     * it). Not fsynced: a caller that needs the removal to outlive a power loss orders it after
     * its own durable step (the engine's rm removes the container's record first, and a
     * snapshot no record owns is swept when the engine opens).
     */
    @Override
    public Optional<Path> detach(String key) {
        Path doomed;
        synchronized (this) {
            if (!containerParents.containsKey(key)) {
                return Optional.empty();
            }
            doomed = containers.resolve(TMP + "removed-" + key + "-" + UUID.randomUUID());
            try {
                Files.move(containers.resolve(key), doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw BerthException.internal("removing snapshot \"" + key + "\": " + e.getMessage(), e);
            }
            containerParents.remove(key);
        }
        return Optional.of(doomed);
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSynced(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(content));
            ch.force(true);
        }
    }

    private static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
