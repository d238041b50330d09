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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Layers recorded by {@link #addLayerLater} are pending until unpacked: by the background
 * worker (one thread, layers in the order they were recorded) when constructed with
 * {@code unpackInBackground}, else by their first user. {@link #layer}, {@link #lowerDirs} and
 * {@link #prepare} wait for the layers they need, or unpack them on the caller's thread when
 * the worker has not started on them. A pending layer is unpacked into a tmp- directory and
 * committed by the same rename, so a crash mid-unpack leaves nothing of it; the image store,
 * which keeps the layer's blob, records it as pending again at the next start.
 */
public final class OverlaySnapshotter implements Snapshotter, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OverlaySnapshotter.class.getName());
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String TMP = "tmp-";

    private final Path root;
    private final Path containers;
    private final LayerUnpacker unpacker;
    private final Map<Digest, LayerSnapshot> layers = new HashMap<>();
    private final Map<String, Digest> containerParents = new HashMap<>();
    private final Map<Digest, PendingLayer> pending = new LinkedHashMap<>();
    /** Unpacks pending layers one at a time; null when they wait for their first user. */
    private final ThreadPoolExecutor background;
    private boolean closed;
    private long nextId = 1;

    /** Opens (creating if needed) the snapshots under {@code dataRoot}; removes half-done work. */
    public OverlaySnapshotter(Path dataRoot) {
        this(dataRoot, new LayerUnpacker());
    }

    public OverlaySnapshotter(Path dataRoot, LayerUnpacker unpacker) {
        this(dataRoot, unpacker, false);
    }

    /**
     * With {@code unpackInBackground}, layers recorded by {@link #addLayerLater} are unpacked by
     * a worker thread right away (the daemon's choice); without, by their first user.
     */
    public OverlaySnapshotter(Path dataRoot, LayerUnpacker unpacker, boolean unpackInBackground) {
        this.root = dataRoot.resolve("snapshots");
        this.containers = root.resolve("containers");
        this.unpacker = unpacker;
        this.background = unpackInBackground ? worker() : null;
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

    /** One thread, started when there is work and gone after 10 idle seconds. */
    private static ThreadPoolExecutor worker() {
        return new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "berth-unpack");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized boolean hasLayer(Digest chainId) {
        return layers.containsKey(chainId) || pending.containsKey(chainId);
    }

    /** Whether the layer's files are in place (false while it is pending or when it is absent). */
    public synchronized boolean isUnpacked(Digest chainId) {
        return layers.containsKey(chainId);
    }

    /**
     * {@inheritDoc} The chain id must be the one {@code parent} and the unpacked diff id give. When
     * the layer exists already, the stream is still read to its end (a caller may be teeing it
     * into the content store) but not unpacked.
     */
    @Override
    public LayerSnapshot addLayer(Digest chainId, Digest parent, Digest expectedDiffId, InputStream layer) {
        boolean isPending;
        synchronized (this) {
            LayerSnapshot existing = layers.get(chainId);
            if (existing != null) {
                drain(layer);
                return existing;
            }
            isPending = pending.containsKey(chainId);
            if (!isPending) {
                requireParent(chainId, parent);
            }
        }
        if (isPending) {
            drain(layer);
            return layer(chainId);
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
        LayerSnapshot l = install(tmp, unpacked);
        PendingLayer replaced = pending.remove(l.chainId()); // recorded for later meanwhile: done now
        if (replaced != null) {
            replaced.abandoned = true;
            notifyAll();
        }
        return l;
    }

    /** Renames a finished tmp- directory to the next free number and indexes it; holding the monitor. */
    private LayerSnapshot install(Path tmp, LayerSnapshot unpacked) throws IOException {
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
        if (parent != null && !layers.containsKey(parent) && !pending.containsKey(parent)) {
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
        // a pending layer of this chain id is done by this directory (commit drops the pending one)
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
    public LayerSnapshot layer(Digest chainId) {
        awaitUnpacked(chainId);
        synchronized (this) {
            LayerSnapshot l = layers.get(chainId);
            if (l == null) {
                throw BerthException.notFound("layer " + chainId + " not found");
            }
            return l;
        }
    }

    @Override
    public synchronized Digest parentOf(Digest chainId) {
        LayerSnapshot l = layers.get(chainId);
        if (l != null) {
            return l.parentChainId();
        }
        return pendingOrNotFound(chainId).parentChainId;
    }

    @Override
    public synchronized long sizeOf(Digest chainId) {
        LayerSnapshot l = layers.get(chainId);
        if (l != null) {
            return l.size();
        }
        return pendingOrNotFound(chainId).size;
    }

    private PendingLayer pendingOrNotFound(Digest chainId) {
        PendingLayer p = pending.get(chainId);
        if (p == null) {
            throw BerthException.notFound("layer " + chainId + " not found");
        }
        return p;
    }

    @Override
    public List<Path> lowerDirs(Digest topChainId) {
        while (true) {
            awaitStack(topChainId);
            synchronized (this) {
                if (stackUnpacked(topChainId)) {
                    return collectLowerDirs(topChainId);
                }
            } // a layer of it was removed and recorded again meanwhile: wait for that one too
        }
    }

    /** Holding the monitor, with every layer of the stack unpacked (or missing: an error). */
    private List<Path> collectLowerDirs(Digest topChainId) {
        List<Path> dirs = new ArrayList<>();
        for (Digest d = topChainId; d != null; ) {
            LayerSnapshot l = layers.get(d);
            if (l == null && d.equals(topChainId)) {
                throw BerthException.notFound("layer " + d + " not found");
            }
            if (l == null) {
                throw BerthException.internal("layer " + d + " below " + topChainId + " is missing");
            }
            dirs.add(l.dir());
            d = l.parentChainId();
        }
        return List.copyOf(dirs);
    }

    /** Holding the monitor: no layer of the stack is pending (missing ones are the caller's error to raise). */
    private boolean stackUnpacked(Digest topChainId) {
        for (Digest d = topChainId; d != null; ) {
            if (pending.containsKey(d)) {
                return false;
            }
            LayerSnapshot l = layers.get(d);
            d = l == null ? null : l.parentChainId();
        }
        return true;
    }

    // ---- layers unpacked later ----

    /** {@inheritDoc} With a background worker, it is queued for unpacking now. */
    @Override
    public void addLayerLater(Digest chainId, Digest parent, Digest diffId, long size, LayerSource source) {
        PendingLayer p;
        synchronized (this) {
            if (hasLayer(chainId)) {
                return;
            }
            requireParent(chainId, parent);
            p = new PendingLayer(chainId, parent, diffId, size, source);
            pending.put(chainId, p);
            if (background == null || closed) {
                return;
            }
        }
        try {
            background.execute(() -> unpackInBackground(p));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: the layer stays pending for its first user
        }
    }

    private void unpackInBackground(PendingLayer p) {
        synchronized (this) {
            if (closed || p.running || pending.get(p.chainId) != p) {
                return;
            }
            p.running = true;
            p.inBackground = true;
        }
        try {
            unpackPending(p);
        } catch (RuntimeException e) {
            if (!p.abandoned) {
                LOG.log(System.Logger.Level.WARNING, "unpacking layer " + p.chainId + " in the background failed"
                        + " (the next container that needs it tries again): " + e.getMessage());
            }
        }
    }

    /** Every layer from {@code topChainId} down is unpacked when this returns (or absent: callers raise NOT_FOUND). */
    private void awaitStack(Digest topChainId) {
        for (Digest d = topChainId; d != null; ) {
            awaitUnpacked(d);
            synchronized (this) {
                LayerSnapshot l = layers.get(d);
                d = l == null ? null : l.parentChainId();
            }
        }
    }

    /**
     * Returns once {@code chainId} is not pending: unpacked (by the worker, another caller, or
     * here when nobody had started), removed, or never known. Never called holding the monitor.
     */
    private void awaitUnpacked(Digest chainId) {
        while (true) {
            PendingLayer p;
            synchronized (this) {
                p = pending.get(chainId);
                if (p == null) {
                    return;
                }
                if (p.running) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw BerthException.internal("interrupted while layer " + chainId + " was being unpacked", e);
                    }
                    continue;
                }
                if (p.abandoned) { // its worker was stopped by close(): a fresh record for this caller
                    p = p.renewed();
                    pending.put(chainId, p);
                }
                p.running = true;
                p.inBackground = false;
            }
            unpackPending(p);
        }
    }

    /**
     * Unpacks a claimed pending layer into a tmp- directory and commits it by rename, unless it
     * was abandoned meanwhile; on failure it stays pending for the next user to try.
     */
    private void unpackPending(PendingLayer p) {
        Path tmp = root.resolve(TMP + UUID.randomUUID());
        boolean committed = false;
        try {
            Files.createDirectory(tmp);
            UnpackResult r;
            try (InputStream in = p.open()) {
                r = unpacker.unpack(in, tmp.resolve("fs"));
            }
            if (!r.diffId().equals(p.diffId)) {
                throw BerthException.invalid("layer diff id mismatch: want " + p.diffId + ", got " + r.diffId());
            }
            writeSynced(tmp.resolve(LayerRecord.FILE), LayerRecord.write(p.chainId, p.parentChainId, r.diffId(), r.size()));
            committed = commitPending(tmp, p, r);
        } catch (IOException e) {
            throw abandonedOr(p, BerthException.internal("unpacking layer " + p.chainId + ": " + e.getMessage(), e));
        } catch (BerthException e) {
            throw abandonedOr(p, e.getMessage().contains(p.diffId.toString()) ? e
                    : new BerthException(e.kind(), "unpacking layer " + p.diffId + ": " + e.getMessage(), e));
        } finally {
            if (!committed) {
                FileTrees.deleteQuietly(tmp);
            }
            synchronized (this) {
                p.running = false;
                notifyAll();
            }
        }
    }

    private static BerthException abandonedOr(PendingLayer p, BerthException e) {
        return p.abandoned ? BerthException.notFound("layer " + p.chainId + " not found (removed while it was unpacked)") : e;
    }

    private synchronized boolean commitPending(Path tmp, PendingLayer p, UnpackResult r) throws IOException {
        if (p.abandoned || pending.get(p.chainId) != p) {
            return false;
        }
        install(tmp, new LayerSnapshot(p.chainId, p.parentChainId, r.diffId(), r.size(), null));
        pending.remove(p.chainId);
        return true;
    }

    /** Whether {@link #close} has begun (its unpack under way is then marked abandoned); for tests. */
    synchronized boolean closing() {
        return closed;
    }

    /**
     * Stops the background worker: queued unpacks are dropped and one under way is abandoned
     * (its layers stay pending, and the image store records them again at the next start).
     * Unpacks that callers run for themselves go on.
     */
    @Override
    public void close() {
        if (background == null) {
            return;
        }
        synchronized (this) {
            closed = true;
            for (PendingLayer p : pending.values()) {
                if (p.running && p.inBackground) {
                    p.abandoned = true;
                }
            }
        }
        background.shutdownNow();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            // abandoned for the shutdown only: a later user in this process may still unpack them
            pending.replaceAll((chain, p) -> p.abandoned && !p.running ? p.renewed() : p);
        }
    }

    @Override
    public void removeLayer(Digest chainId) {
        Path doomed;
        synchronized (this) {
            PendingLayer p = pending.get(chainId);
            LayerSnapshot l = p == null ? layers.get(chainId) : null;
            if (p == null && l == null) {
                throw BerthException.notFound("layer " + chainId + " not found");
            }
            for (LayerSnapshot other : layers.values()) {
                if (chainId.equals(other.parentChainId())) {
                    throw BerthException.precondition("layer " + chainId + " is the parent of layer " + other.chainId());
                }
            }
            for (PendingLayer other : pending.values()) {
                if (chainId.equals(other.parentChainId)) {
                    throw BerthException.precondition("layer " + chainId + " is the parent of layer " + other.chainId);
                }
            }
            for (Map.Entry<String, Digest> c : containerParents.entrySet()) {
                if (chainId.equals(c.getValue())) {
                    throw BerthException.precondition("layer " + chainId + " is in use by container snapshot \""
                            + c.getKey() + "\"");
                }
            }
            if (p != null) { // not unpacked yet: forget it; an unpack under way stops and removes its work
                p.abandoned = true;
                pending.remove(chainId);
                notifyAll();
                return;
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
        TreeSet<Digest> all = new TreeSet<>(layers.keySet());
        all.addAll(pending.keySet());
        return Set.copyOf(all);
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
        while (true) {
            if (parent != null) {
                awaitStack(parent); // unpacked in the background after a load: wait for it, or unpack it here
            }
            ContainerMount m = prepareUnpacked(key, parent);
            if (m != null) {
                return m;
            }
        }
    }

    /** {@link #prepare} once the stack is unpacked; null when a layer of it became pending again meanwhile. */
    private synchronized ContainerMount prepareUnpacked(String key, Digest parent) {
        if (containerParents.containsKey(key)) {
            throw BerthException.conflict("snapshot key \"" + key + "\" already exists");
        }
        if (parent != null && !layers.containsKey(parent) && !pending.containsKey(parent)) {
            throw BerthException.notFound("layer " + parent + " not found");
        }
        if (parent != null && !stackUnpacked(parent)) {
            return null;
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
        List<Path> lower = parent == null ? List.of(dir.resolve("lower")) : collectLowerDirs(parent);
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
