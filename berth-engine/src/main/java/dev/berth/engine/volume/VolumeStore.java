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
 * {@code volume.json} record (atomic). Whether a volume is in use is the engine's to say.
 */
public final class VolumeStore {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final String RECORD = "volume.json";

    private final Path root;
    private final Map<String, Volume> volumes = new TreeMap<>();

    public VolumeStore(Path dataRoot) {
        this.root = AtomicFiles.createDirectories(dataRoot.resolve("volumes"));
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
                            o.bool("Anonymous").orElse(false)));
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
        Path dir = root.resolve(n);
        Volume v = new Volume(n, dir.resolve("_data"), Instant.now(), labels, anonymous);
        try {
            Files.createDirectories(v.mountpoint());
            AtomicFiles.write(dir.resolve(RECORD), Json.writePretty(JsonObjectBuilder.create()
                    .put("CreatedAt", ContainerJson.time(v.createdAt()))
                    .put("Labels", Json.sortedByKey(labels))
                    .put("Anonymous", anonymous)
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

    /** Removes the volume and its data; the caller has checked that no container uses it. */
    public synchronized void remove(String name) {
        Volume v = get(name);
        volumes.remove(name);
        FileTrees.deleteOrFail(v.mountpoint().getParent());
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
