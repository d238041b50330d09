package dev.berth.daemon.testing;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.config.Option;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** In-process daemons on temp directories, for tests that talk HTTP to them. */
public final class TestDaemons {
    private TestDaemons() {}

    public static DaemonConfig config(Path dir, String... extraHosts) {
        Map<Option, Object> values = new EnumMap<>(Option.class);
        List<String> hosts = new ArrayList<>(List.of("unix://" + dir.resolve("berth.sock")));
        hosts.addAll(List.of(extraHosts));
        values.put(Option.HOSTS, hosts);
        values.put(Option.DATA_ROOT, dir.resolve("data").toString());
        values.put(Option.EXEC_ROOT, dir.resolve("exec").toString());
        return DaemonConfig.resolve(values);
    }

    public static Daemon start(Path dir) {
        return Daemon.start(config(dir));
    }

    public static Daemon start(Path dir, Consumer<Router> routes) {
        return Daemon.start(config(dir), routes);
    }

    public static Path socket(Path dir) {
        return dir.resolve("berth.sock");
    }
}
