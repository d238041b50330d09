package dev.berth.engine.network;

import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The network records, one file per network: {@code <data-root>/networks/<id>.json}, in
 * docker's field names, written atomically and durably. A file that cannot be read is left
 * alone (and logged), not deleted: a network is the user's.
 */
public final class NetworkStore {
    private static final System.Logger LOG = System.getLogger(NetworkStore.class.getName());
    private static final int FORMAT = 1;

    private final Path dir;

    public NetworkStore(Path dataRoot) {
        this.dir = AtomicFiles.createDirectories(dataRoot.resolve("networks"));
    }

    public void save(Network n) {
        AtomicFiles.write(dir.resolve(n.id() + ".json"), write(n));
    }

    public void remove(String id) {
        AtomicFiles.delete(dir.resolve(id + ".json"));
    }

    public List<Network> loadAll() {
        List<Network> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (AtomicFiles.isTemp(f)) {
                    AtomicFiles.deleteQuietly(f);
                    continue;
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                try {
                    out.add(read(Files.readAllBytes(f), f.toString()));
                } catch (IOException | BerthException e) {
                    LOG.log(System.Logger.Level.WARNING, "network record " + f + " unreadable: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    static byte[] write(Network n) {
        List<Object> pools = new ArrayList<>();
        for (Network.IpamPool p : n.ipam()) {
            pools.add(JsonObjectBuilder.create().put("Subnet", p.subnet()).omitEmpty("IPRange", p.ipRange())
                    .omitEmpty("Gateway", p.gateway()).build());
        }
        Map<String, Object> tree = JsonObjectBuilder.create()
                .put("BerthFormat", (long) FORMAT)
                .put("Name", n.name())
                .put("Id", n.id())
                .put("Created", ImageConfig.formatTime(n.created()))
                .put("Driver", n.driver())
                .put("EnableIPv6", n.ipv6())
                .put("IPAM", Map.of("Config", pools))
                .put("Internal", n.internal())
                .put("Attachable", n.attachable())
                .put("Options", Json.sortedByKey(n.options()))
                .put("Labels", Json.sortedByKey(n.labels()))
                .build();
        return Json.writePretty(tree).getBytes(StandardCharsets.UTF_8);
    }

    static Network read(byte[] bytes, String source) {
        JsonObject o = JsonObject.root(source, Json.parse(new String(bytes, StandardCharsets.UTF_8), source));
        long format = o.int64("BerthFormat").orElse(0L);
        if (format != FORMAT) {
            throw o.error("BerthFormat", "unknown format " + format + " (this berth reads " + FORMAT + ")");
        }
        List<Network.IpamPool> pools = o.object("IPAM").map(i -> i.objects("Config", p -> new Network.IpamPool(
                p.string("Subnet").orElse(""), p.string("IPRange").orElse(""), p.string("Gateway").orElse(""))))
                .orElse(List.of());
        Instant created = o.string("Created").flatMap(ImageConfig::parseTime).orElse(Instant.EPOCH);
        return new Network(o.string("Id").orElseThrow(() -> o.error("Id", "required")),
                o.string("Name").orElseThrow(() -> o.error("Name", "required")),
                o.string("Driver").orElse("bridge"), created, o.bool("Internal").orElse(false),
                o.bool("Attachable").orElse(false), o.bool("EnableIPv6").orElse(false), pools,
                o.stringMap("Options"), o.stringMap("Labels"));
    }
}
