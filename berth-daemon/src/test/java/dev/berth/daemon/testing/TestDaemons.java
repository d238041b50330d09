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

/**
 * In-process daemons on temp directories, for tests that talk HTTP to them. They run with
 * {@code --bridge=none} (no default bridge: containers get no network, and no device or firewall
 * rule is made on the host) unless a test asks for a network with its own bridge device
 * ({@code bt…}, at most 15 characters) and subnet ({@code 10.2xx.…}), so that daemons of tests
 * running side by side never share a bridge.
 */
public final class TestDaemons {
    private TestDaemons() {}

    public static DaemonConfig config(Path dir, String... extraHosts) {
        return DaemonConfig.resolve(values(dir, DaemonConfig.NO_BRIDGE, "", extraHosts));
    }

    /** A daemon whose default bridge is {@code bridge} with the gateway and prefix {@code bip} (e.g. 10.212.0.1/24). */
    public static DaemonConfig networkConfig(Path dir, String bridge, String bip) {
        return DaemonConfig.resolve(values(dir, bridge, bip));
    }

    private static Map<Option, Object> values(Path dir, String bridge, String bip, String... extraHosts) {
        Map<Option, Object> values = new EnumMap<>(Option.class);
        List<String> hosts = new ArrayList<>(List.of("unix://" + dir.resolve("berth.sock")));
        hosts.addAll(List.of(extraHosts));
        values.put(Option.HOSTS, hosts);
        values.put(Option.DATA_ROOT, dir.resolve("data").toString());
        values.put(Option.EXEC_ROOT, dir.resolve("exec").toString());
        values.put(Option.BRIDGE, bridge);
        if (!bip.isEmpty()) {
            values.put(Option.BIP, bip);
        }
        return values;
    }

    public static Daemon start(Path dir) {
        return Daemon.start(config(dir));
    }

    public static Daemon start(Path dir, Consumer<Router> routes) {
        return Daemon.start(config(dir), routes);
    }

    /** A daemon with a default bridge of its own (see {@link #networkConfig}). */
    public static Daemon startWithNetwork(Path dir, String bridge, String bip) {
        return Daemon.start(networkConfig(dir, bridge, bip));
    }

    public static Path socket(Path dir) {
        return dir.resolve("berth.sock");
    }

    /** The berthd flags an IT passes to bin/berthd so that it makes no default bridge. */
    public static List<String> noBridgeFlags() {
        return List.of("--bridge=none");
    }
}
