package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.Status;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.engine.network.NetworkRegistry;
import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker network create, ls, inspect, rm, prune, connect and disconnect, in dockerd 20.10's
 * words. A network has active endpoints while a container runs on it (stopped containers keep
 * their place in their record, as docker's, and do not keep a network from going).
 */
final class NetworkVerbs {
    private final EngineContext ctx;
    private final ContainerNetworking net;

    NetworkVerbs(EngineContext ctx) {
        this.ctx = ctx;
        this.net = ctx.networking;
    }

    Network create(NetworkCreateRequest request) {
        ctx.ensureOpen();
        Network n;
        synchronized (net.lock) {
            n = net.registry.create(request);
            try {
                net.kernel.setUpNetwork(NetworkRegistry.bridgeSpec(n));
            } catch (RuntimeException e) {
                EngineContext.quietly(() -> net.kernel.tearDownNetwork(NetworkRegistry.bridgeSpec(n)));
                net.registry.remove(n);
                throw e;
            }
            net.listenDns(n);
        }
        ctx.events.emitNetwork("create", n, "");
        return n;
    }

    List<Network> list() {
        synchronized (net.lock) {
            return net.registry.list();
        }
    }

    Network inspect(String idOrName) {
        synchronized (net.lock) {
            return net.registry.find(idOrName);
        }
    }

    /** The running containers on the network, id → endpoint. */
    Map<String, EndpointSettings> endpoints(String idOrName) {
        Network n = inspect(idOrName);
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        for (Container c : ctx.table.list(false)) {
            for (EndpointSettings e : c.networks().values()) {
                if (e.networkId().equals(n.id())) {
                    out.put(c.id(), e);
                }
            }
        }
        return out;
    }

    void remove(String idOrName) {
        ctx.ensureOpen();
        Network n;
        synchronized (net.lock) {
            n = net.registry.find(idOrName);
            if (NetworkRegistry.isPredefined(n)) {
                throw BerthException.forbidden(n.name() + " is a pre-defined network and cannot be removed");
            }
            if (net.ipam.inUse(n.id())) {
                throw BerthException.forbidden("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints");
            }
            removeLocked(n);
        }
        ctx.events.emitNetwork("destroy", n, "");
    }

    private void removeLocked(Network n) {
        net.unlistenDns(n);
        try {
            net.kernel.tearDownNetwork(NetworkRegistry.bridgeSpec(n));
        } catch (RuntimeException e) {
            net.listenDns(n);
            throw e;
        }
        net.registry.remove(n);
        net.ipam.forget(n.id());
    }

    /** User-defined networks without active endpoints go; returns their names. */
    List<String> prune() {
        ctx.ensureOpen();
        List<Network> removed = new ArrayList<>();
        synchronized (net.lock) {
            for (Network n : net.registry.list()) {
                if (NetworkRegistry.isUserDefined(n) && !net.ipam.inUse(n.id())) {
                    try {
                        removeLocked(n);
                        removed.add(n);
                    } catch (RuntimeException e) {
                        // left for the next prune; the others go
                    }
                }
            }
        }
        removed.forEach(n -> ctx.events.emitNetwork("destroy", n, ""));
        return removed.stream().map(Network::name).toList();
    }

    /** docker network connect: a running container is attached at once, another at its next start. */
    void connect(String network, String container, EndpointSettings requested) {
        ctx.ensureOpen();
        Slot s = ctx.table.find(container);
        s.lock.lock();
        try {
            Container c = s.container;
            Network n = inspect(network);
            checkModes(c, n);
            if (c.networks().containsKey(n.name())) {
                throw BerthException.forbidden("endpoint with name " + c.name().bare() + " already exists in network " + n.name());
            }
            if (c.status() == Status.REMOVING || c.status() == Status.DEAD) {
                throw BerthException.conflict("container " + c.id() + " is marked for removal and cannot be connected or disconnected to the network");
            }
            EndpointSettings asked;
            synchronized (net.lock) {
                asked = net.checked(n, requested);
            }
            Map<String, EndpointSettings> networks = new LinkedHashMap<>(c.networks());
            if (c.state().running()) {
                networks.put(n.name(), net.attachLive(s, n.name(), n, asked));
            } else {
                networks.put(n.name(), asked);
            }
            s.container = s.container.withNetworks(networks);
            ctx.store.save(s.container);
            refreshEtcFiles(s);
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * A running container's resolv.conf (and hosts) written again after a connect or disconnect,
     * in place (they are bind-mounted): the first user-defined network it joins brings the
     * embedded DNS server, as dockerd's sandbox starts its resolver then; leaving the last one
     * gives the host's servers back.
     */
    private void refreshEtcFiles(Slot s) {
        if (s.container.state().running()) {
            EngineContext.quietly(() -> net.writeEtcFiles(ctx.store.dir(s.id()), s.container));
        }
    }

    /** docker network disconnect; {@code force} also takes a container whose record names a network that is gone. */
    void disconnect(String network, String container, boolean force) {
        ctx.ensureOpen();
        Slot s = ctx.table.find(container);
        s.lock.lock();
        try {
            Container c = s.container;
            Network n;
            try {
                n = inspect(network);
            } catch (BerthException e) {
                if (!force || !c.networks().containsKey(network)) {
                    throw e;
                }
                Map<String, EndpointSettings> networks = new LinkedHashMap<>(c.networks());
                networks.remove(network);
                s.container = c.withNetworks(networks);
                ctx.store.save(s.container);
                return;
            }
            if (!c.networks().containsKey(n.name())) {
                throw BerthException.forbidden("container " + c.id() + " is not connected to network " + n.name());
            }
            if (!NetworkRegistry.isBridge(n) || c.hostConfig().networkMode().equals(NetworkRegistry.HOST)) {
                throw BerthException.invalid("container cannot be disconnected from host network or connected to host network");
            }
            if (!c.state().running() || !net.detachLive(s, n)) {
                ctx.events.emitNetwork("disconnect", n, c.id()); // dockerd tells of it even for a stopped container
            }
            Map<String, EndpointSettings> networks = new LinkedHashMap<>(s.container.networks());
            networks.remove(n.name());
            s.container = s.container.withNetworks(networks);
            ctx.store.save(s.container);
            refreshEtcFiles(s);
        } finally {
            s.lock.unlock();
        }
    }

    /** dockerd's runconfig conflicts between the container's mode and a bridge network. */
    private static void checkModes(Container c, Network n) {
        String mode = c.hostConfig().networkMode();
        if (mode.equals(NetworkRegistry.HOST) || n.name().equals(NetworkRegistry.HOST)) {
            throw BerthException.invalid("container cannot be disconnected from host network or connected to host network");
        }
        if (c.hostConfig().networkContainer().isPresent()) {
            throw BerthException.invalid("container sharing network namespace with another container or host cannot be connected to any other network");
        }
        if (mode.equals(NetworkRegistry.NONE) || n.name().equals(NetworkRegistry.NONE)) {
            throw BerthException.invalid("container cannot be connected to multiple networks with one of the networks in private (none) mode");
        }
    }
}
