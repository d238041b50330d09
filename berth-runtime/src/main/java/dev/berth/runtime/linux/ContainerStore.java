package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The runtime's root directory (runc's --root): one directory per container holding
 * state.json, a copy of config.json, and the exec fifo while the container is created.
 * Writes are atomic (temp file, rename), so no reader ever sees half a state file. There is no
 * fsync: the state describes live processes, which a power loss ends too, and --root belongs on
 * tmpfs (/run); where it is not, an fsync per write costs milliseconds on every create.
 */
final class ContainerStore {
    /** runc's rule for ids. */
    private static final Pattern ID = Pattern.compile("^[\\w+\\-.]+$");
    static final String STATE = "state.json";
    static final String CONFIG = "config.json";
    static final String FIFO = "exec.fifo";

    private final Path root;

    ContainerStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    static void validateId(String id) {
        if (id == null || id.isEmpty()) {
            throw BerthException.invalid("container id cannot be empty");
        }
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..") || id.length() > 1024) {
            throw BerthException.invalid("invalid container id format: " + id);
        }
    }

    Path dir(String id) {
        validateId(id);
        return root.resolve(id);
    }

    /** Claims the id: creates its directory, or fails with CONFLICT when it exists. */
    Path claim(String id) {
        Path dir = dir(id);
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw BerthException.conflict("container with id exists: " + id);
        } catch (IOException e) {
            throw BerthException.internal("create state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    void save(ContainerRecord record) {
        writeAtomically(dir(record.id()).resolve(STATE), record.toJson().getBytes(StandardCharsets.UTF_8));
    }

    void saveConfig(String id, byte[] config) {
        writeAtomically(dir(id).resolve(CONFIG), config);
    }

    Optional<ContainerRecord> find(String id) {
        Path file = dir(id).resolve(STATE);
        try {
            return Optional.of(ContainerRecord.fromJson(Files.readString(file), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("read " + file + ": " + e.getMessage(), e);
        }
    }

    ContainerRecord load(String id) {
        return find(id).orElseThrow(() -> BerthException.notFound("container \"" + id + "\" does not exist"));
    }

    byte[] config(String id) {
        Path file = dir(id).resolve(CONFIG);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw BerthException.notFound("container \"" + id + "\" has no config: " + e.getMessage());
        }
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            for (Path p : s) {
                if (Files.exists(p.resolve(STATE))) {
                    ids.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("list " + root + ": " + e.getMessage(), e);
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** The user owning the container's directory, by name when the host knows it. */
    String ownerName(String id) {
        try {
            return Files.getOwner(dir(id)).getName();
        } catch (IOException e) {
            return "";
        }
    }

    /** Removes the container's directory and everything in it. */
    void remove(String id) {
        Path dir = dir(id);
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw BerthException.internal("remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** An exclusive lock on the container for one verb, so that two invocations never race. */
    FileLock lock(String id) {
        Path file = dir(id).resolve(".lock");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return ch.lock();
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("container \"" + id + "\" does not exist");
        } catch (IOException e) {
            throw BerthException.internal("lock " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomically(Path file, byte[] data) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(data));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw BerthException.internal("write " + file + ": " + e.getMessage(), e);
        }
    }
}
