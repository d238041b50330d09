package dev.berth.engine.network.kernel;

import dev.berth.engine.network.NetworkKernel;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real {@link NetworkKernel}: namespaces pinned under {@code <exec-root>/netns/}, endpoints
 * made by the CNI plugins (bridge with static IPAM, then portmap for published ports), the
 * bridges and berth's firewall chains made by berth itself (docs/networking.md).
 */
public final class CniNetworkKernel implements NetworkKernel {
    /** Where Debian's containernetworking-plugins live. */
    public static final Path DEFAULT_PLUGIN_DIR = Path.of("/usr/lib/cni");
    private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(60);
    /**
     * portmap edits shared chains (CNI-HOSTPORT-*) by listing then changing them; two of its
     * runs at once can race on that, so this JVM runs one at a time.
     */
    private static final Object PORTMAP_LOCK = new Object();

    private final Syscalls sys;
    private final NetnsPins pins;
    private final CniPlugins plugins;
    private final BerthFirewall firewall = new BerthFirewall();

    /**
     * @param execRoot the engine's run-time directory; namespaces are pinned in its netns/
     * @param pluginDir the CNI plugin executables (CNI_PATH)
     */
    public CniNetworkKernel(Syscalls sys, Path execRoot, Path pluginDir) {
        this.sys = sys;
        this.pins = new NetnsPins(sys, execRoot.resolve("netns"));
        this.plugins = new CniPlugins(pluginDir, PLUGIN_TIMEOUT);
        Thread.ofVirtual().name("berth-netkernel-warm-up").start(this::warmUp);
    }

    /**
     * Pays the first-use costs (the FFM bindings, the JDK's process launcher, the JSON codec,
     * about half a second on a cold JVM) before the first container needs them, with calls
     * that change nothing: unshare of no namespace, setns on no fd, lo's flags read (it is up
     * on every host already), and the bridge plugin's VERSION command.
     */
    private void warmUp() {
        try {
            sys.unshare(0);
            try {
                sys.setns(-1, Syscalls.CLONE_NEWNET);
            } catch (RuntimeException expected) {
                // EBADF: the handle is bound now
            }
            sys.interfaceUp("lo");
            plugins.version("bridge");
        } catch (RuntimeException | LinkageError e) {
            // nothing depends on it; the first real call reports any real problem
        }
    }

    @Override
    public Path createNetns(String containerId) {
        return pins.create(containerId);
    }

    @Override
    public Path netnsPath(String containerId) {
        return pins.path(containerId);
    }

    @Override
    public void removeNetns(String containerId) {
        pins.remove(containerId);
    }

    /**
     * Sets lo up from a thread that joins the namespace: one ioctl instead of forking the CNI
     * loopback plugin (which only does the same).
     */
    @Override
    public void loopbackUp(Path netns) {
        if (!pins.isPinned(netns)) {
            throw BerthException.notFound("no network namespace at " + netns);
        }
        NetnsThread.inNetns(sys, netns, () -> {
            sys.interfaceUp("lo");
            return null;
        });
    }

    @Override
    public void setUpNetwork(BridgeSpec network) {
        BridgeDevice.ensure(network);
        firewall.setUp(network);
    }

    @Override
    public List<String> ipv4Addresses(String device) {
        return BridgeDevice.ipv4Addresses(device);
    }

    @Override
    public void tearDownNetwork(BridgeSpec network) {
        removeBridge(network.bridgeName());
    }

    /**
     * What {@link #tearDownNetwork} does, by the bridge's name: its firewall chains (and
     * berth's shared chains when no other bridge is left in them), then the device. For a bridge
     * no running daemon manages, e.g. a stopped berthd's default bridge, which stays when it
     * stops, as docker0 does.
     */
    public static void removeBridge(String bridgeName) {
        new BerthFirewall().tearDown(bridgeName);
        BridgeDevice.remove(bridgeName);
    }

    @Override
    public AttachResult attach(Path netns, BridgeSpec network, EndpointSpec endpoint) {
        pins.path(endpoint.containerId()); // the id goes into portmap's rule comments: a plain name only
        BridgeDevice.checkName(network.bridgeName());
        CniConfigs.checkPorts(endpoint);
        if (!pins.isPinned(netns)) {
            throw BerthException.notFound("no network namespace at " + netns);
        }
        if (!BridgeDevice.exists(network.bridgeName())) {
            setUpNetwork(network); // e.g. after a reboot of the host: make it before the plugin does, with our rules
        }
        var call = new CniPlugins.Call("ADD", endpoint.containerId(), netns, endpoint.ifName());
        Map<String, Object> bridgeConfig = CniConfigs.bridge(network, endpoint);
        Map<String, Object> result = plugins.run(call, bridgeConfig);
        // from here on the veth exists: a failure takes it away again (a failed bridge ADD is
        // not undone with DEL, which could remove an interface of the same name made before)
        try {
            if (!endpoint.ports().isEmpty()) {
                synchronized (PORTMAP_LOCK) {
                    plugins.run(call, CniConfigs.portmap(network, endpoint, result));
                }
            }
            return CniResult.of(result, netns, endpoint.ifName(), network.bridgeName());
        } catch (RuntimeException e) {
            var del = new CniPlugins.Call("DEL", endpoint.containerId(), netns, endpoint.ifName());
            if (!endpoint.ports().isEmpty()) {
                // portmap's DEL finds its rules by network name and container id: safe after a partial ADD
                undoQuietly(del, CniConfigs.portmap(network, endpoint, null), e);
            }
            undoQuietly(del, bridgeConfig, e);
            throw e;
        }
    }

    /**
     * DEL in reverse order of ADD: portmap (when ports were published), then bridge. A namespace
     * that is gone is passed as none: the plugins then only clean up on the host's side. For the
     * bridge plugin that is nothing: without a namespace its DEL only runs its IPAM plugin's DEL,
     * and static IPAM holds no state (Debian's 1.1.1 under strace: two execs, no netlink socket,
     * no file written). So that DEL is not run (it cost two execs, ~6-9 ms, on every exit; the
     * kernel deletes the veth with the namespace). portmap's DEL still runs: its rules are on the
     * host.
     */
    @Override
    public void detach(Path netns, BridgeSpec network, EndpointSpec endpoint) {
        Path ns = pins.isPinned(netns) ? netns : null;
        var call = new CniPlugins.Call("DEL", endpoint.containerId(), ns, endpoint.ifName());
        RuntimeException first = null;
        if (!endpoint.ports().isEmpty()) {
            try {
                synchronized (PORTMAP_LOCK) {
                    plugins.run(call, CniConfigs.portmap(network, endpoint, null));
                }
            } catch (RuntimeException e) {
                first = e;
            }
        }
        Map<String, Object> bridgeConfig = CniConfigs.bridgeForDel(network, endpoint);
        if (ns != null || !CniConfigs.hasStatelessIpam(bridgeConfig)) {
            try {
                plugins.run(call, bridgeConfig);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public List<String> pinnedNetns() {
        return pins.list();
    }

    private void undoQuietly(CniPlugins.Call del, Map<String, Object> config, RuntimeException cause) {
        try {
            if ("portmap".equals(config.get("type"))) {
                synchronized (PORTMAP_LOCK) {
                    plugins.run(del, config);
                }
                return;
            }
            plugins.run(del, config);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
