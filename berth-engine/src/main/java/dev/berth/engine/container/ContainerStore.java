package dev.berth.engine.container;

import dev.berth.image.io.FileTrees;
import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Container records on disk: {@code <data-root>/containers/<id>/container.json}, one file per
 * container, replaced atomically (temp file, fsync, rename). The directory also holds what the
 * container is given (hostname, hosts, resolv.conf) and its log files. A directory without a
 * readable record is what a crash during create left: {@link #loadAll} removes it.
 */
public final class ContainerStore {
    public static final String RECORD = "container.json";
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

    public void save(Container c) {
        AtomicFiles.write(dir(c.id()).resolve(RECORD), ContainerJson.write(c));
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
                    LOG.log(System.Logger.Level.WARNING, "removing container directory without a valid record: " + d
                            + " (" + e.getMessage() + ")");
                    FileTrees.deleteOrFail(d);
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
}
