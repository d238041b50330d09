package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Container and network events to their listeners (the daemon's /events), with docker's attributes. */
final class EventHub {
    private static final System.Logger LOG = System.getLogger(EventHub.class.getName());

    private final List<Consumer<ContainerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<NetworkEvent>> networkListeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(Consumer<ContainerEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The event with the container's name, image and labels as attributes, plus {@code extra}. */
    void emit(String action, Container c, Map<String, String> extra) {
        if (listeners.isEmpty()) {
            return;
        }
        Map<String, String> attrs = new LinkedHashMap<>(extra);
        attrs.put("name", c.name().bare());
        attrs.put("image", c.config().image());
        attrs.putAll(c.config().labels());
        ContainerEvent e = new ContainerEvent(action, c.id(), c.name().bare(), c.config().image(), attrs, Instant.now());
        for (Consumer<ContainerEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "event listener: " + ex.getMessage());
            }
        }
    }

    void emit(String action, Container c) {
        emit(action, c, Map.of());
    }

    AutoCloseable addNetworkListener(Consumer<NetworkEvent> listener) {
        networkListeners.add(listener);
        return () -> networkListeners.remove(listener);
    }

    /** A network event; {@code containerId} empty for create and destroy. */
    void emitNetwork(String action, Network n, String containerId) {
        if (networkListeners.isEmpty()) {
            return;
        }
        NetworkEvent e = new NetworkEvent(action, n.id(), n.name(), n.driver(), containerId, Instant.now());
        for (Consumer<NetworkEvent> l : networkListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "event listener: " + ex.getMessage());
            }
        }
    }
}
