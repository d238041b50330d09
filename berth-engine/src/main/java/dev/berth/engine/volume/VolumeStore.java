package dev.berth.engine.volume;

import dev.berth.image.io.FileTrees;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.ContainerJson;
import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Volumes of the local driver: {@code <data-root>/volumes/<name>/_data} plus a
 * {@code volume.json} record (atomic) with the driver's options, if any; a volume with options
 * has its device mounted on {@code _data} while it is held ({@link #mountFor}). Whether a volume
 * is in use is the engine's to say.
 */
public final class VolumeStore {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final String RECORD = "volume.json";

    private final Path root;
    private final Map<String, Volume> volumes = new TreeMap<>();
    private final VolumeMounts mounts;

    public VolumeStore(Path dataRoot, Syscalls sys) {
        this.root = AtomicFiles.createDirectories(dataRoot.resolve("volumes"));
        this.mounts = new VolumeMounts(sys);
        load();
    }

    private void load() {
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                Path record = d.resolve(RECORD);
                try {
                    JsonObject o = JsonObject.root(record.toString(), Json.parse(Files.readString(record), record.toString()));
                    String name = d.getFileName().toString();
                    Instant created = ImageConfig.parseTime(o.string("CreatedAt").orElse("")).orElse(Instant.EPOCH);
                    volumes.put(name, new Volume(name, d.resolve("_data"), created, o.stringMap("Labels"),
                            o.bool("Anonymous").orElse(false), new VolumeOptions(o.stringMap("Options"))));
                } catch (IOException | BerthException e) {
                    FileTrees.deleteOrFail(d); // a create that did not finish
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("list " + root + ": " + e.getMessage(), e);
        }
    }

    /** docker volume create: an existing volume of that name is returned as it is (docker does the same). */
    public synchronized Volume create(Optional<String> name, Map<String, String> labels) {
        return create(name, labels, Map.of());
    }

    /**
     * docker volume create with the local driver's options (-o type=…, device=…, o=…), checked
     * as dockerd checks them; nothing is mounted until a container uses the volume. An existing
     * volume of that name is returned as it is, whatever the options (dockerd 20.10 does so).
     */
    public synchronized Volume create(Optional<String> name, Map<String, String> labels, Map<String, String> options) {
        boolean anonymous = name.isEmpty() || name.get().isEmpty();
        String n = anonymous ? ContainerId.generate() : name.get();
        if (!NAME.matcher(n).matches()) {
            throw BerthException.invalid("create " + n + ": \"" + n
                    + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed."
                    + " If you intended to pass a host directory, use absolute path");
        }
        Volume existing = volumes.get(n);
        if (existing != null) {
            return existing;
        }
        VolumeOptions checked = VolumeOptions.of(n, options);
        Path dir = root.resolve(n);
        Volume v = new Volume(n, dir.resolve("_data"), Instant.now(), labels, anonymous, checked);
        try {
            Files.createDirectories(v.mountpoint());
            AtomicFiles.write(dir.resolve(RECORD), Json.writePretty(JsonObjectBuilder.create()
                    .put("CreatedAt", ContainerJson.time(v.createdAt()))
                    .put("Labels", Json.sortedByKey(labels))
                    .put("Anonymous", anonymous)
                    .put("Options", Json.sortedByKey(checked.values()))
                    .build()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            FileTrees.deleteOrFail(dir);
            throw BerthException.internal("create volume " + n + ": " + e.getMessage(), e);
        }
        volumes.put(n, v);
        return v;
    }

    /** NOT_FOUND in docker's words: "get x: no such volume". */
    public synchronized Volume get(String name) {
        Volume v = volumes.get(name);
        if (v == null) {
            throw BerthException.notFound("get " + name + ": no such volume");
        }
        return v;
    }

    public synchronized Optional<Volume> find(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    public synchronized List<Volume> list() {
        return new ArrayList<>(volumes.values());
    }

    /**
     * Removes the volume and its data; the caller has checked that no container uses it. A
     * volume with options is unmounted first and its data directory deleted only once nothing
     * is mounted there: a bind volume's host directory keeps its files, as with dockerd.
     */
    public synchronized void remove(String name) {
        Volume v = get(name);
        if (v.options().mounted() && !mounts.unmountForRemoval(v)) {
            throw BerthException.internal("remove " + name + ": " + v.mountpoint() + " is still mounted");
        }
        volumes.remove(name);
        FileTrees.deleteOrFail(v.mountpoint().getParent());
    }

    /**
     * Mounts the devices of those of the named volumes that have options, for {@code holder}
     * (a container's id while it runs): dockerd mounts them at the container's start. On a
     * failure, what this call mounted is let go again.
     */
    public synchronized void mountFor(String holder, java.util.Collection<String> names) {
        List<String> done = new ArrayList<>();
        try {
            for (String n : names) {
                Volume v = get(n);
                if (v.options().mounted()) {
                    mounts.acquire(v, holder);
                    done.add(n);
                }
            }
        } catch (RuntimeException e) {
            for (String n : done) {
                mounts.release(n, volumes.get(n).mountpoint(), holder);
            }
            throw e;
        }
    }

    /** Lets go of every volume mount {@code holder} holds (its run ended); the last holder out unmounts. */
    public synchronized void unmountFor(String holder) {
        mounts.releaseAll(volumes, holder);
    }

    /** Bytes under the volume's data directory (docker system df). */
    public static long size(Volume v) {
        long[] total = {0};
        try {
            Files.walkFileTree(v.mountpoint(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }
}
