package dev.berth.engine.testing;

import dev.berth.engine.network.NetworkKernel;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link NetworkKernel} for engine tests: namespaces are real (empty ones, from {@code ip netns
 * add}, so a container can join them) but bridges, veths, addresses and port mappings are only
 * recorded. Tests read what the engine asked for ({@link #attached}, {@link #bridges}) and can
 * make the next attach fail. Every call is idempotent, as the real kernel's.
 */
public final class FakeNetworkKernel implements NetworkKernel {
    /** One attach, as the engine asked for it. */
    public record Attachment(Path netns, BridgeSpec network, EndpointSpec endpoint) {}

    private final String prefix = "bfk" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
    private final Map<String, Path> netns = new LinkedHashMap<>();
    private final Map<String, BridgeSpec> bridges = new LinkedHashMap<>();
    private final List<Attachment> attached = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final Set<Path> loopbackUp = new LinkedHashSet<>();
    private volatile String failNextAttach;

    @Override
    public synchronized Path createNetns(String containerId) {
        calls.add("createNetns " + containerId);
        Path p = netnsPath(containerId);
        if (!Files.exists(p)) {
            ip("netns", "add", p.getFileName().toString());
        }
        netns.put(containerId, p);
        return p;
    }

    @Override
    public Path netnsPath(String containerId) {
        return Path.of("/run/netns", prefix + containerId.substring(0, Math.min(12, containerId.length())));
    }

    @Override
    public synchronized void removeNetns(String containerId) {
        calls.add("removeNetns " + containerId);
        Path p = netnsPath(containerId);
        if (Files.exists(p)) {
            ip("netns", "delete", p.getFileName().toString());
        }
        netns.remove(containerId);
        loopbackUp.remove(p);
    }

    @Override
    public synchronized void loopbackUp(Path ns) {
        if (!Files.exists(ns)) {
            throw BerthException.notFound("no network namespace at " + ns);
        }
        loopbackUp.add(ns);
    }

    @Override
    public synchronized void setUpNetwork(BridgeSpec network) {
        calls.add("setUpNetwork " + network.bridgeName());
        bridges.put(network.bridgeName(), network);
    }

    @Override
    public synchronized void tearDownNetwork(BridgeSpec network) {
        calls.add("tearDownNetwork " + network.bridgeName());
        bridges.remove(network.bridgeName());
    }

    @Override
    public synchronized AttachResult attach(Path ns, BridgeSpec network, EndpointSpec endpoint) {
        calls.add("attach " + endpoint.containerId() + " " + network.bridgeName() + " " + endpoint.ifName());
        String fail = failNextAttach;
        if (fail != null) {
            failNextAttach = null;
            throw BerthException.internal(fail);
        }
        if (!Files.exists(ns)) {
            throw BerthException.notFound("no network namespace at " + ns);
        }
        attached.removeIf(a -> a.endpoint().containerId().equals(endpoint.containerId())
                && a.network().bridgeName().equals(network.bridgeName()));
        attached.add(new Attachment(ns, network, endpoint));
        String mac = endpoint.macAddress().isEmpty() ? "02:42:00:00:00:01" : endpoint.macAddress();
        return new AttachResult(mac, "veth" + endpoint.containerId().substring(0, 7));
    }

    @Override
    public synchronized void detach(Path ns, BridgeSpec network, EndpointSpec endpoint) {
        calls.add("detach " + endpoint.containerId() + " " + network.bridgeName() + " " + endpoint.ifName());
        attached.removeIf(a -> a.endpoint().containerId().equals(endpoint.containerId())
                && a.network().bridgeName().equals(network.bridgeName()));
    }

    @Override
    public synchronized List<String> pinnedNetns() {
        return List.copyOf(netns.keySet());
    }

    /** The next attach throws INTERNAL with this message (a plugin that fails). */
    public void failNextAttach(String message) {
        failNextAttach = message;
    }

    public synchronized List<Attachment> attached() {
        return List.copyOf(attached);
    }

    public synchronized List<Attachment> attachedTo(String containerId) {
        return attached.stream().filter(a -> a.endpoint().containerId().equals(containerId)).toList();
    }

    public synchronized Map<String, BridgeSpec> bridges() {
        return Map.copyOf(bridges);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized boolean isLoopbackUp(Path ns) {
        return loopbackUp.contains(ns);
    }

    /** The namespaces this fake made that are still there (each test must leave none). */
    public List<Path> leftoverNamespaces() {
        List<Path> out = new ArrayList<>();
        try (var files = Files.list(Path.of("/run/netns"))) {
            files.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(out::add);
        } catch (IOException e) {
            // no /run/netns: none left
        }
        return out;
    }

    /** Removes whatever a failed test left. */
    public void cleanUp() {
        for (Path p : leftoverNamespaces()) {
            ip("netns", "delete", p.getFileName().toString());
        }
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw BerthException.internal(String.join(" ", argv) + ": " + out.strip());
            }
        } catch (IOException e) {
            throw BerthException.internal(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted");
        }
    }
}
