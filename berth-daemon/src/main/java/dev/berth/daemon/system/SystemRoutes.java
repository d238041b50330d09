package dev.berth.daemon.system;

import dev.berth.daemon.BerthdVersion;
import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.ApiVersion;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** /_ping, /version, /info and /system/df. */
public final class SystemRoutes implements Router.Service {

    /** What the system routes need to know about images (the image service, or a stand-in before it exists). */
    public interface Images {
        int count();

        /** /system/df's {@code LayersSize} and {@code Images}. */
        DiskUsage diskUsage();

        Images NONE = new Images() {
            @Override
            public int count() {
                return 0;
            }

            @Override
            public DiskUsage diskUsage() {
                return new DiskUsage(0, List.of());
            }
        };
    }

    /** @param images one /system/df image summary per image, already in wire form */
    public record DiskUsage(long layersSize, List<Map<String, Object>> images) {}

    /** What /info and /system/df need to know about containers and volumes (the engine, or none). */
    public interface Containers {
        Counts counts();

        /** /system/df's {@code Containers} rows (with SizeRw, SizeRootFs), in wire form. */
        List<Map<String, Object>> diskUsage();

        /** /system/df's {@code Volumes} rows (with UsageData), in wire form. */
        List<Map<String, Object>> volumes();

        Containers NONE = new Containers() {
            @Override
            public Counts counts() {
                return new Counts(0, 0, 0, 0);
            }

            @Override
            public List<Map<String, Object>> diskUsage() {
                return List.of();
            }

            @Override
            public List<Map<String, Object>> volumes() {
                return List.of();
            }
        };
    }

    /** /info's Containers, ContainersRunning, ContainersPaused, ContainersStopped. */
    public record Counts(int total, int running, int paused, int stopped) {}

    private final Path dataRoot;
    private final String engineId;
    private final boolean debug;
    private final List<String> warnings;
    private final EventBus events;
    private final Images images;
    private final Containers containers;
    private final Clock clock;
    private final RegistryOptions registry;

    public SystemRoutes(Path dataRoot, String engineId, boolean debug, List<String> warnings,
                        EventBus events, Images images, Clock clock) {
        this(dataRoot, engineId, debug, warnings, events, images, Containers.NONE, clock);
    }

    public SystemRoutes(Path dataRoot, String engineId, boolean debug, List<String> warnings,
                        EventBus events, Images images, Containers containers, Clock clock) {
        this(dataRoot, engineId, debug, warnings, events, images, containers, clock, RegistryOptions.defaults());
    }

    /** @param registry the insecure registries and mirrors /info reports in RegistryConfig */
    public SystemRoutes(Path dataRoot, String engineId, boolean debug, List<String> warnings,
                        EventBus events, Images images, Containers containers, Clock clock, RegistryOptions registry) {
        this.registry = registry;
        this.containers = containers;
        this.dataRoot = dataRoot;
        this.engineId = engineId;
        this.debug = debug;
        this.warnings = List.copyOf(warnings);
        this.events = events;
        this.images = images;
        this.clock = clock;
    }

    @Override
    public void routing(Router router) {
        // the calls every CLI command starts with: answered inline, without a hand-off (Router#getInline)
        router.getInline("/_ping", this::ping);
        router.headInline("/_ping", this::ping);
        router.getInline("/version", call -> call.json(version()));
        router.get("/info", call -> call.json(info()));
        router.get("/system/df", this::df);
        // docker system prune ends with the build cache: berthd has none yet (builds come later),
        // so there is nothing to free; a 404 here made the whole command fail after its other prunes
        router.post("/build/prune", call -> call.json(JsonObjectBuilder.create()
                .put("CachesDeleted", null)
                .put("SpaceReclaimed", 0)
                .build()));
    }

    /** The headers the docker CLI reads before anything else (cli-conversation.md). */
    private void ping(ApiCall call) throws Exception {
        call.header("Builder-Version", "1"); // no BuildKit: the CLI uses the classic builder
        call.header("Cache-Control", "no-cache, no-store, must-revalidate");
        call.header("Pragma", "no-cache");
        call.text(200, "text/plain; charset=utf-8", call.method().equals("HEAD") ? "" : "OK");
    }

    Map<String, Object> version() {
        String kernel = HostInfo.kernelVersion();
        String runtime = "java " + Runtime.version();
        return JsonObjectBuilder.create()
                .put("Platform", Map.of("Name", "berth"))
                .put("Components", List.of(JsonObjectBuilder.create()
                        .put("Name", "Engine")
                        .put("Version", BerthdVersion.VERSION)
                        .put("Details", JsonObjectBuilder.create()
                                .put("ApiVersion", ApiVersion.MAX.toString())
                                .put("Arch", HostInfo.goArch())
                                .put("BuildTime", "")
                                .put("Experimental", "false")
                                .put("GitCommit", BerthdVersion.GIT_COMMIT)
                                .put("GoVersion", runtime)
                                .put("KernelVersion", kernel)
                                .put("MinAPIVersion", ApiVersion.MIN.toString())
                                .put("Os", "linux")
                                .build())
                        .build()))
                .put("Version", BerthdVersion.VERSION)
                .put("ApiVersion", ApiVersion.MAX.toString())
                .put("MinAPIVersion", ApiVersion.MIN.toString())
                .put("GitCommit", BerthdVersion.GIT_COMMIT)
                .put("GoVersion", runtime)
                .put("Os", "linux")
                .put("Arch", HostInfo.goArch())
                .put("KernelVersion", kernel)
                .put("BuildTime", "")
                .build();
    }

    Map<String, Object> info() {
        boolean v1 = HostInfo.cgroupVersion().equals("1");
        Counts counts = containers.counts();
        return JsonObjectBuilder.create()
                .put("ID", engineId)
                .put("Containers", counts.total())
                .put("ContainersRunning", counts.running())
                .put("ContainersPaused", counts.paused())
                .put("ContainersStopped", counts.stopped())
                .put("Images", images.count())
                .put("Driver", "overlayfs")
                .put("DriverStatus", List.of(List.of("driver-type", "berth overlay snapshotter")))
                .put("Plugins", JsonObjectBuilder.create()
                        .put("Volume", List.of())
                        .put("Network", List.of("bridge", "host", "null")) // the drivers berthd has
                        .put("Authorization", null)
                        .put("Log", List.of())
                        .build())
                .put("MemoryLimit", true)
                .put("SwapLimit", true)
                .put("CpuCfsPeriod", true)
                .put("CpuCfsQuota", true)
                .put("CPUShares", true)
                .put("CPUSet", true)
                .put("PidsLimit", true)
                .put("IPv4Forwarding", HostInfo.sysctlOn("net/ipv4/ip_forward"))
                .put("BridgeNfIptables", HostInfo.sysctlOn("net/bridge/bridge-nf-call-iptables"))
                .put("BridgeNfIp6tables", HostInfo.sysctlOn("net/bridge/bridge-nf-call-ip6tables"))
                .put("Debug", debug)
                .put("NFd", HostInfo.openFds())
                .put("OomKillDisable", v1)
                .put("NGoroutines", HostInfo.threads())
                .put("SystemTime", DateTimeFormatter.ISO_INSTANT.format(clock.instant()))
                .put("LoggingDriver", "json-file")
                .put("CgroupDriver", "cgroupfs")
                .put("CgroupVersion", HostInfo.cgroupVersion())
                .put("NEventsListener", events.listeners())
                .put("KernelVersion", HostInfo.kernelVersion())
                .put("OperatingSystem", HostInfo.operatingSystem())
                .put("OSVersion", HostInfo.osVersion())
                .put("OSType", "linux")
                .put("Architecture", HostInfo.machine())
                .put("IndexServerAddress", "https://index.docker.io/v1/")
                .put("RegistryConfig", RegistryConfigWire.of(registry))
                .put("NCPU", Runtime.getRuntime().availableProcessors())
                .put("MemTotal", HostInfo.memTotal())
                .put("GenericResources", null)
                .put("DockerRootDir", dataRoot.toString())
                .put("HttpProxy", env("HTTP_PROXY", "http_proxy"))
                .put("HttpsProxy", env("HTTPS_PROXY", "https_proxy"))
                .put("NoProxy", env("NO_PROXY", "no_proxy"))
                .put("Name", HostInfo.hostname())
                .put("Labels", List.of())
                .put("ExperimentalBuild", false)
                .put("ServerVersion", BerthdVersion.VERSION)
                .put("Runtimes", Map.of("berth", Map.of("path", "berth-runtime")))
                .put("DefaultRuntime", "berth")
                .put("Swarm", JsonObjectBuilder.create()
                        .put("NodeID", "")
                        .put("NodeAddr", "")
                        .put("LocalNodeState", "inactive")
                        .put("ControlAvailable", false)
                        .put("Error", "")
                        .put("RemoteManagers", null)
                        .build())
                .put("LiveRestoreEnabled", false)
                .put("Isolation", "")
                .put("InitBinary", "")
                .put("ContainerdCommit", Map.of("ID", "", "Expected", ""))
                .put("RuncCommit", Map.of("ID", "berth-runtime " + BerthdVersion.VERSION, "Expected", ""))
                .put("InitCommit", Map.of("ID", "", "Expected", ""))
                .put("SecurityOptions", List.of("name=seccomp,profile=builtin"))
                .put("CDISpecDirs", List.of())
                .put("Warnings", warnings.isEmpty() ? null : warnings)
                .build();
    }

    private void df(ApiCall call) throws Exception {
        DiskUsage usage = images.diskUsage();
        call.json(JsonObjectBuilder.create()
                .put("LayersSize", usage.layersSize())
                .put("Images", usage.images())
                .put("Containers", containers.diskUsage())
                .put("Volumes", containers.volumes())
                .put("BuildCache", List.of())
                .put("BuilderSize", 0)
                .build());
    }

    private static String env(String upper, String lower) {
        String v = System.getenv(upper);
        if (v == null) {
            v = System.getenv(lower);
        }
        return v == null ? "" : v;
    }
}
