package dev.berth.engine.container;

import dev.berth.oci.image.Digest;
import java.time.Instant;
import dev.berth.engine.network.EndpointSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One container's record, as persisted in {@code <data-root>/containers/<id>/container.json}:
 * what it was created from and where its lifecycle stands.
 *
 * @param imageId the image's id at create time (a later tag move does not change it)
 * @param path the program (first word of entrypoint + cmd), docker's {@code Path}
 * @param args the rest, docker's {@code Args}
 * @param manuallyStopped a stop or kill asked for by a user: unless-stopped and always do not restart it
 * @param restartCount restarts by policy since the last start by a user
 * @param startedBefore docker's HasBeenStartedBefore
 * @param networks the networks it is connected to, by network name (docker's NetworkSettings.Networks)
 * @param ports the ports published while it runs (docker's NetworkSettings.Ports): "80/tcp" → the
 *     host address and port bound, one per binding; empty when it is not running
 */
public record Container(
        String id,
        ContainerName name,
        Instant created,
        Digest imageId,
        ContainerConfig config,
        HostConfig hostConfig,
        String path,
        List<String> args,
        ContainerState state,
        int restartCount,
        boolean manuallyStopped,
        boolean startedBefore,
        Map<String, EndpointSettings> networks,
        Map<String, List<dev.berth.engine.network.PortBinding>> ports) {

    public Container {
        ContainerId.check(id);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hostConfig, "hostConfig");
        path = Objects.requireNonNullElse(path, "");
        args = List.copyOf(args);
        Objects.requireNonNull(state, "state");
        networks = networks == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
        ports = ports == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
    }

    /** Without the published ports (a container that does not run). */
    public Container(String id, ContainerName name, Instant created, Digest imageId, ContainerConfig config,
                     HostConfig hostConfig, String path, List<String> args, ContainerState state, int restartCount,
                     boolean manuallyStopped, boolean startedBefore, Map<String, EndpointSettings> networks) {
        this(id, name, created, imageId, config, hostConfig, path, args, state, restartCount, manuallyStopped,
                startedBefore, networks, Map.of());
    }

    /** A container on no network yet (records written before networks existed read back as this). */
    public Container(String id, ContainerName name, Instant created, Digest imageId, ContainerConfig config,
                     HostConfig hostConfig, String path, List<String> args, ContainerState state, int restartCount,
                     boolean manuallyStopped, boolean startedBefore) {
        this(id, name, created, imageId, config, hostConfig, path, args, state, restartCount, manuallyStopped,
                startedBefore, Map.of());
    }

    public Container withNetworks(Map<String, EndpointSettings> n) {
        return new Container(id, name, created, imageId, config, hostConfig, path, args, state, restartCount, manuallyStopped,
                startedBefore, n, ports);
    }

    public Container withConfig(ContainerConfig c) {
        return new Container(id, name, created, imageId, c, hostConfig, path, args, state, restartCount, manuallyStopped,
                startedBefore, networks, ports);
    }

    public Container withPorts(Map<String, List<dev.berth.engine.network.PortBinding>> p) {
        return new Container(id, name, created, imageId, config, hostConfig, path, args, state, restartCount, manuallyStopped,
                startedBefore, networks, p);
    }

    public Status status() {
        return state.status();
    }

    public Container withState(ContainerState s) {
        return new Container(id, name, created, imageId, config, hostConfig, path, args, s, restartCount, manuallyStopped,
                startedBefore, networks, ports);
    }

    public Container withName(ContainerName n) {
        return new Container(id, n, created, imageId, config, hostConfig, path, args, state, restartCount, manuallyStopped,
                startedBefore, networks, ports);
    }

    public Container withRestarts(int count, boolean stoppedByUser) {
        return new Container(id, name, created, imageId, config, hostConfig, path, args, state, count, stoppedByUser,
                startedBefore, networks, ports);
    }

    public Container withStartedBefore() {
        return new Container(id, name, created, imageId, config, hostConfig, path, args, state, restartCount, manuallyStopped,
                true, networks, ports);
    }
}
