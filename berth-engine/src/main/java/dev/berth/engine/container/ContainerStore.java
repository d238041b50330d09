package dev.berth.engine.container;

import dev.berth.image.io.FileTrees;
import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Container records on disk: {@code <data-root>/containers/<id>/container.json}, one file per
 * container, replaced atomically (temp file, rename). The directory also holds what the
 * container is given (hostname, hosts, resolv.conf) and its log files. A directory without a
 * readable record is what a crash during create left: {@link #loadAll} removes it.
 *
 * <p>Two kinds of write. {@link #save} is durable (fsync of the file and the directory) and
 * also links the same file as {@code container.durable.json}. {@link #saveState} (a run's start
 * and exit, many per second under load) is atomic but not fsynced: a crash of the engine loses
 * nothing (the page cache has it), and a power loss can at worst bring back the record as of the
 * last durable write, which {@link #loadAll} reads when {@code container.json} is damaged (a
 * file system without ext4's replace-by-rename ordering may leave it empty).
 */
public final class ContainerStore {
    public static final String RECORD = "container.json";
    /** The record as of the last durable {@link #save} (a hard link to that version). */
    public static final String DURABLE = "container.durable.json";
    private static final System.Logger LOG = System.getLogger(ContainerStore.class.getName());

    private final Path root;

    public ContainerStore(Path dataRoot) {
        this.root = AtomicFiles.createDirectories(dataRoot.resolve("containers"));
    }

    public Path dir(String id) {
        return root.resolve(ContainerId.check(id));
    }

    /** Makes the container's directory; CONFLICT if it exists (ids are random: it never should). */
    public Path create(String id) {
        Path dir = dir(id);
        try {
            Files.createDirectory(dir);
            return dir;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw BerthException.conflict("container directory " + dir + " already exists");
        } catch (IOException e) {
            throw BerthException.internal("create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the record atomically and durably; the durable copy is this version too. */
    public void save(Container c) {
        Path dir = dir(c.id());
        Path tmp = write(dir, ContainerJson.write(c), true);
        Path link = dir.resolve("." + DURABLE + ".tmp-" + UUID.randomUUID());
        try {
            Files.createLink(link, tmp);
            Files.move(link, dir.resolve(DURABLE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(link);
            AtomicFiles.deleteQuietly(tmp);
            throw BerthException.internal("write " + dir.resolve(RECORD) + ": " + e.getMessage(), e);
        }
        AtomicFiles.syncDirectory(dir);
    }

    /**
     * The first record of a container whose directory {@link #create} just made: written in
     * place and fsynced once (no temp file, no rename, so no directory fsync: on a journaling
     * file system the file's fsync commits its directory entry with it). A crash half-way leaves
     * an unreadable record in a directory {@link #loadAll} then removes, as for any create that
     * died; so a record is either whole or the container never existed.
     */
    public void saveNew(Container c) {
        Path dir = dir(c.id());
        Path record = dir.resolve(RECORD);
        try (FileChannel ch = FileChannel.open(record, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(ContainerJson.write(c));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            Files.createLink(dir.resolve(DURABLE), record);
            ch.force(true);
        } catch (IOException e) {
            throw BerthException.internal("write " + record + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the record atomically, without fsync: for a run's state changes (running,
     * exited), which a power loss makes moot anyway (see the class comment).
     */
    public void saveState(Container c) {
        Path dir = dir(c.id());
        Path tmp = write(dir, ContainerJson.write(c), false);
        try {
            Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw BerthException.internal("write " + dir.resolve(RECORD) + ": " + e.getMessage(), e);
        }
    }

    /** A temp file in dir holding data (fsynced if asked), for a rename over the record. */
    private static Path write(Path dir, byte[] data, boolean sync) {
        Path tmp = dir.resolve("." + RECORD + ".tmp-" + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(true);
            }
            return tmp;
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw BerthException.internal("write " + dir.resolve(RECORD) + ": " + e.getMessage(), e);
        }
    }

    /** Every stored container; directories a crash left half-made (no valid record) are removed. */
    public List<Container> loadAll() {
        List<Container> out = new ArrayList<>();
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                String name = d.getFileName().toString();
                if (!ContainerId.isFull(name) || !Files.isDirectory(d)) {
                    FileTrees.deleteOrFail(d);
                    continue;
                }
                Path record = d.resolve(RECORD);
                try {
                    cleanTemps(d);
                    out.add(ContainerJson.read(Files.readAllBytes(record), record.toString()));
                } catch (IOException | BerthException e) {
                    Path durable = d.resolve(DURABLE);
                    try {
                        // a state write that a power loss damaged: the last durable version stands
                        Container c = ContainerJson.read(Files.readAllBytes(durable), durable.toString());
                        LOG.log(System.Logger.Level.WARNING, "container record " + record + " unreadable (" + e.getMessage()
                                + "): using its last durable version");
                        save(c);
                        out.add(c);
                    } catch (IOException | BerthException e2) {
                        LOG.log(System.Logger.Level.WARNING, "removing container directory without a valid record: " + d
                                + " (" + e.getMessage() + ")");
                        FileTrees.deleteOrFail(d);
                    }
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void cleanTemps(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (AtomicFiles.isTemp(f)) {
                    AtomicFiles.deleteQuietly(f);
                }
            }
        }
    }

    /** Removes the container's directory and everything in it. */
    public void remove(String id) {
        FileTrees.deleteOrFail(dir(id));
    }

    /**
     * Takes the container's directory out of the store at once (a rename, and when
     * {@code durable} an fsync of the store's directory) and returns where it went, for the
     * caller to delete; the next {@link #loadAll} sweeps it if nobody does. Empty when there was
     * no directory.
     */
    public java.util.Optional<Path> detach(String id, boolean durable) {
        Path dir = dir(id);
        Path doomed = root.resolve(".removed-" + id + "-" + UUID.randomUUID());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("remove " + dir + ": " + e.getMessage(), e);
        }
        if (durable) {
            AtomicFiles.syncDirectory(root);
        }
        return java.util.Optional.of(doomed);
    }
}
