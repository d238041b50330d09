package dev.berth.daemon;

import dev.berth.daemon.api.ApiHandler;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.daemon.container.AttachRoutes;
import dev.berth.daemon.container.ExecRoutes;
import dev.berth.daemon.container.LogRoutes;
import dev.berth.daemon.container.ContainerCounts;
import dev.berth.daemon.container.ArchiveRoutes;
import dev.berth.daemon.container.ContainerRoutes;
import dev.berth.daemon.container.VolumeRoutes;
import dev.berth.daemon.config.HostAddress;
import dev.berth.daemon.events.EventBus;
import dev.berth.daemon.events.EventRoutes;
import dev.berth.daemon.image.ImageRoutes;
import dev.berth.daemon.image.ImageStats;
import dev.berth.daemon.image.RegistryRoutes;
import dev.berth.image.registry.Distributions;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.daemon.network.NetworkRoutes;
import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.bootstrap.ImageBootstrap;
import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.ImageService;
import dev.berth.daemon.server.ApiServer;
import dev.berth.daemon.server.Pidfile;
import dev.berth.image.tls.TlsContexts;
import dev.berth.daemon.system.EngineId;
import dev.berth.daemon.system.SystemRoutes;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.ContainerEvent;
import dev.berth.engine.EngineOptions;
import dev.berth.engine.network.NetworkEvent;
import dev.berth.runtime.linux.LinuxContainerRuntime;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * berthd's parts wired together: directories, pid file, services, routes and listeners. Closing
 * it ends the event streams, stops the listeners (removing their sockets) and the pid file.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonConfig config;
    private final EventBus events;
    private final Pidfile pidfile;
    private final ApiServer server;
    private final ContainerEngine engine;
    private final OverlaySnapshotter snapshots;

    private Daemon(DaemonConfig config, EventBus events, Pidfile pidfile, ApiServer server, ContainerEngine engine,
            OverlaySnapshotter snapshots) {
        this.config = config;
        this.events = events;
        this.pidfile = pidfile;
        this.server = server;
        this.engine = engine;
        this.snapshots = snapshots;
    }

    public static Daemon start(DaemonConfig config) {
        return start(config, router -> { });
    }

    /** Starts with extra routes (tests add a hijacked echo route this way). */
    public static Daemon start(DaemonConfig config, Consumer<Router> extraRoutes) {
        makeDirectory(config.dataRoot(), "rwx--x--x");
        makeDirectory(config.execRoot(), "rwx------");
        Pidfile pidfile = Pidfile.create(config.pidfile(), ProcessHandle.current().pid());
        EventBus events = new EventBus();
        ContainerEngine engine = null;
        OverlaySnapshotter snapshots = null;
        try {
            List<String> warnings = new ArrayList<>();
            ApiServer.Tls tls = tls(config, warnings);
            Clock clock = Clock.systemUTC();
            // layers a docker load brings are unpacked by a background worker after the load returns
            snapshots = new OverlaySnapshotter(config.dataRoot(), new LayerUnpacker(), true);
            ImageService images = ImageService.open(config.dataRoot(), snapshots);
            ImageTransfer transfer = new ImageTransfer(config.dataRoot(), images.content(), images.snapshotter(),
                    ImageRegistry.of(images));
            // containers recorded as running when a previous daemon died are cleaned up here, and
            // those whose restart policy says so start again, before the API listens
            // the default bridge (-b/--bridge, --bip) and the user networks are set up here too
            engine = ContainerEngine.open(EngineOptions.of(config.dataRoot(), config.execRoot(),
                    LinuxContainerRuntime.defaultHelper()).withBridge(config.bridge(), config.bip()), images);
            engine.onEvent(e -> publish(events, e));
            engine.onNetworkEvent(e -> publish(events, e));
            RegistryClient registryClient = new RegistryClient(config.registry());
            RegistryRoutes registry = new RegistryRoutes(Distributions.create(images, registryClient), registryClient, events);
            Router router = new Router()
                    .register(new SystemRoutes(config.dataRoot(), EngineId.load(config.dataRoot()), config.debug(),
                            warnings, events, new ImageStats(images), new ContainerCounts(engine, images), clock,
                            config.registry()))
                    .register(new EventRoutes(events, clock))
                    .register(new ImageRoutes(images, transfer, new ImageBootstrap(config.dataRoot(), transfer), events,
                            registry))
                    .register(registry)
                    .register(new ContainerRoutes(engine, images, config.execRoot(), events))
                    .register(new VolumeRoutes(engine, events))
                    .register(new NetworkRoutes(engine, events))
                    .register(new ArchiveRoutes(engine))
                    .register(new AttachRoutes(engine, events))
                    .register(new LogRoutes(engine))
                    .register(new ExecRoutes(engine, events));
            extraRoutes.accept(router);
            ApiServer server = new ApiServer(config.hosts(), tls, new ApiHandler(router)).start();
            for (HostAddress address : server.addresses()) {
                LOG.info("API listen on {}", address.isUnix() ? address.socket() : address.host() + ":" + address.port());
            }
            return new Daemon(config, events, pidfile, server, engine, snapshots);
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            if (snapshots != null) {
                snapshots.close();
            }
            events.close();
            pidfile.close();
            throw e;
        }
    }

    /** A container event as /events reports it: docker puts the name, image and labels in Attributes. */
    private static void publish(EventBus events, ContainerEvent e) {
        events.publish("container", e.action(), e.id(), e.attributes());
    }

    /** A network event as /events reports it: docker's attributes name, type (the driver) and container. */
    private static void publish(EventBus events, NetworkEvent e) {
        java.util.Map<String, String> attributes = new java.util.HashMap<>();
        attributes.put("name", e.networkName());
        attributes.put("type", e.driver());
        if (!e.containerId().isEmpty()) {
            attributes.put("container", e.containerId());
        }
        events.publish("network", e.action(), e.networkId(), attributes);
    }

    /** TLS for the TCP listeners, and dockerd's warning for TCP without it. */
    private static ApiServer.Tls tls(DaemonConfig config, List<String> warnings) {
        List<HostAddress> tcp = config.hosts().stream().filter(h -> !h.isUnix()).toList();
        if (tcp.isEmpty()) {
            return null;
        }
        if (!config.tls()) {
            for (HostAddress h : tcp) {
                String warning = "WARNING: API is accessible on http://" + h.host() + ":" + h.port()
                        + " without encryption. Access to the remote API is equivalent to root access on the host."
                        + " Use --tlsverify with certificates (berth tls init) to protect it.";
                LOG.warn(warning);
                warnings.add(warning);
            }
            return null;
        }
        for (Path p : config.tlsVerify() ? List.of(config.tlsCert(), config.tlsKey(), config.tlsCaCert())
                : List.of(config.tlsCert(), config.tlsKey())) {
            if (!Files.isReadable(p)) {
                throw BerthException.invalid("could not load TLS files: " + p + " does not exist or cannot be read");
            }
        }
        if (!config.tlsVerify()) {
            String warning = "WARNING: API is accessible with TLS but without client verification: anyone who can reach it"
                    + " controls the host. Use --tlsverify.";
            LOG.warn(warning);
            warnings.add(warning);
        }
        return new ApiServer.Tls(TlsContexts.server(config.tlsCert(), config.tlsKey(),
                config.tlsVerify() ? config.tlsCaCert() : null), config.tlsVerify());
    }

    private static void makeDirectory(Path dir, String mode) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public DaemonConfig config() {
        return config;
    }

    public EventBus events() {
        return events;
    }

    public ContainerEngine engine() {
        return engine;
    }

    /** The addresses being served (TCP ports resolved). */
    public List<HostAddress> addresses() {
        return server.addresses();
    }

    @Override
    public void close() {
        // event streams end first (their clients see a clean end), then the listeners, so that no
        // new container starts while the running ones stop
        events.close();
        server.close();
        engine.close();
        snapshots.close(); // an unpack under way is abandoned; the next start records its layer again
        pidfile.close();
    }
}
