package dev.berth.daemon.container;

import dev.berth.engine.ContainerPaths;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerJson;
import dev.berth.engine.container.Health;
import dev.berth.engine.container.MountSpec;
import dev.berth.image.snapshot.ContainerMount;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Containers as the API shows them: the rows of GET /containers/json and the document of GET
 * /containers/{id}/json, with every field the docker CLI and docker-compose read. Fields berth
 * has no notion of carry dockerd's zero values, so templates such as
 * {@code {{.HostConfig.PortBindings}}} print what they print against dockerd.
 */
final class ContainerWire {
    /** Sizes asked for with size=1: the writable layer, and that plus the image. */
    record Sizes(long rw, long rootFs) {}

    private ContainerWire() {}

    /** docker ps's Command: the program and its arguments, space-separated. */
    /** The list's Command as dockerd writes it: arguments holding a space in single quotes. */
    static String command(Container c) {
        return command(c.path(), c.args());
    }

    static String command(String path, List<String> args) {
        StringBuilder b = new StringBuilder(path);
        for (String arg : args) {
            b.append(' ').append(arg.contains(" ") ? "'" + arg + "'" : arg);
        }
        return b.toString();
    }

    static Map<String, Object> summary(Container c, Optional<Health> health, Function<String, Path> volumePaths,
                                       Optional<Sizes> sizes, Instant now, ContainerNetworkWire net) {
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("Id", c.id())
                .put("Names", List.of(c.name().value()))
                .put("Image", c.config().image())
                .put("ImageID", c.imageId().toString())
                .put("Command", command(c))
                .put("Created", c.created().getEpochSecond())
                .put("Ports", ContainerNetworkWire.portList(c))
                .put("Labels", Json.sortedByKey(c.config().labels()));
        sizes.ifPresent(s -> b.put("SizeRw", s.rw()).put("SizeRootFs", s.rootFs()));
        return b.put("State", c.status().word())
                .put("Status", HumanTime.status(c, health, now))
                .put("HostConfig", Map.of("NetworkMode", c.hostConfig().networkMode()))
                .put("NetworkSettings", net.listSettings(c))
                .put("Mounts", mounts(c, volumePaths))
                .build();
    }

    /** @param mergedDir where the container's root filesystem is mounted while it runs */
    static Map<String, Object> inspect(Container c, ContainerPaths paths, Optional<Health> health, Optional<ContainerMount> layers,
                                       Path mergedDir, Function<String, Path> volumePaths, Optional<Sizes> sizes,
                                       List<String> execIds, ContainerNetworkWire net) {
        Map<String, Object> state = new LinkedHashMap<>(ContainerJson.writeState(c.state()));
        health.ifPresent(h -> state.put("Health", health(h)));
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("Id", c.id())
                .put("Created", ContainerJson.time(c.created()))
                .put("Path", c.path())
                .put("Args", c.args())
                .put("State", state)
                .put("Image", c.imageId().toString())
                .put("ResolvConfPath", paths.resolvConfPath().toString())
                .put("HostnamePath", paths.hostnamePath().toString())
                .put("HostsPath", paths.hostsPath().toString())
                .put("LogPath", paths.logPath().toString())
                .put("Name", c.name().value())
                .put("RestartCount", (long) c.restartCount())
                .put("Driver", "overlay2")
                .put("Platform", "linux")
                .put("MountLabel", "")
                .put("ProcessLabel", "")
                .put("AppArmorProfile", "")
                .put("ExecIDs", execIds.isEmpty() ? null : execIds)
                .put("HostConfig", hostConfig(c))
                .put("GraphDriver", graphDriver(layers, mergedDir));
        sizes.ifPresent(s -> b.put("SizeRw", s.rw()).put("SizeRootFs", s.rootFs()));
        return b.put("Mounts", mounts(c, volumePaths))
                .put("Config", config(c))
                .put("NetworkSettings", net.settings(c))
                .build();
    }

    private static Map<String, Object> health(Health h) {
        List<Object> log = new ArrayList<>();
        for (Health.Result r : h.log()) {
            log.add(JsonObjectBuilder.create()
                    .put("Start", ContainerJson.time(r.start()))
                    .put("End", ContainerJson.time(r.end()))
                    .put("ExitCode", (long) r.exitCode())
                    .put("Output", r.output())
                    .build());
        }
        return JsonObjectBuilder.create()
                .put("Status", h.status())
                .put("FailingStreak", (long) h.failingStreak())
                .put("Log", log)
                .build();
    }

    /** The Config as stored, with the hostname docker shows (the short id unless set) and dockerd's nulls. */
    private static Map<String, Object> config(Container c) {
        Map<String, Object> out = new LinkedHashMap<>(ContainerJson.writeConfig(c.config()));
        if (c.config().hostname().isEmpty()) {
            out.put("Hostname", c.hostConfig().networkMode().equals("host")
                    ? dev.berth.daemon.system.HostInfo.hostname() : c.id().substring(0, 12));
        }
        out.putIfAbsent("Volumes", null);
        out.putIfAbsent("OnBuild", null);
        return out;
    }

    /** dockerd's HostConfig fields with its zero values, then what the container has. */
    private static Map<String, Object> hostConfig(Container c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Binds", null);
        out.put("ContainerIDFile", "");
        out.put("LogConfig", Map.of("Type", "json-file", "Config", Map.of()));
        out.put("NetworkMode", "none");
        out.put("PortBindings", Map.of());
        out.put("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0L));
        out.put("AutoRemove", false);
        out.put("VolumeDriver", "");
        out.put("VolumesFrom", null);
        out.put("ConsoleSize", List.of(0L, 0L));
        out.put("CapAdd", null);
        out.put("CapDrop", null);
        out.put("CgroupnsMode", "host");
        out.put("Dns", List.of());
        out.put("DnsOptions", List.of());
        out.put("DnsSearch", List.of());
        out.put("ExtraHosts", null);
        out.put("GroupAdd", null);
        out.put("IpcMode", "private");
        out.put("Cgroup", "");
        out.put("Links", null);
        out.put("OomScoreAdj", 0L);
        out.put("PidMode", "");
        out.put("Privileged", false);
        out.put("PublishAllPorts", false);
        out.put("ReadonlyRootfs", false);
        out.put("SecurityOpt", null);
        out.put("UTSMode", "");
        out.put("UsernsMode", "");
        out.put("ShmSize", 67108864L);
        out.put("Runtime", "berth");
        out.put("Isolation", "");
        out.put("CpuShares", 0L);
        out.put("Memory", 0L);
        out.put("NanoCpus", 0L);
        out.put("CgroupParent", "");
        out.put("BlkioWeight", 0L);
        out.put("BlkioWeightDevice", List.of());
        out.put("BlkioDeviceReadBps", List.of());
        out.put("BlkioDeviceWriteBps", List.of());
        out.put("BlkioDeviceReadIOps", List.of());
        out.put("BlkioDeviceWriteIOps", List.of());
        out.put("CpuPeriod", 0L);
        out.put("CpuQuota", 0L);
        out.put("CpuRealtimePeriod", 0L);
        out.put("CpuRealtimeRuntime", 0L);
        out.put("CpusetCpus", "");
        out.put("CpusetMems", "");
        out.put("Devices", List.of());
        out.put("DeviceCgroupRules", null);
        out.put("DeviceRequests", null);
        out.put("MemoryReservation", 0L);
        out.put("MemorySwap", 0L);
        out.put("MemorySwappiness", null);
        out.put("OomKillDisable", false);
        out.put("PidsLimit", null);
        out.put("Ulimits", List.of());
        out.put("CpuCount", 0L);
        out.put("CpuPercent", 0L);
        out.put("IOMaximumIOps", 0L);
        out.put("IOMaximumBandwidth", 0L);
        out.put("MaskedPaths", List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"));
        out.put("ReadonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        out.putAll(ContainerJson.writeHostConfig(c.hostConfig()));
        if (c.hostConfig().privileged()) {
            out.put("MaskedPaths", null);
            out.put("ReadonlyPaths", null);
        }
        return out;
    }

    private static Map<String, Object> graphDriver(Optional<ContainerMount> layers, Path mergedDir) {
        Map<String, Object> data = new LinkedHashMap<>();
        layers.ifPresent(m -> {
            data.put("LowerDir", String.join(":", m.lowerDirs().stream().map(Path::toString).toList()));
            data.put("MergedDir", mergedDir.toString());
            data.put("UpperDir", m.upperDir().toString());
            data.put("WorkDir", m.workDir().toString());
        });
        return JsonObjectBuilder.create().put("Data", data.isEmpty() ? null : data).put("Name", "overlay2").build();
    }

    /** docker's MountPoint list: every bind, volume and tmpfs, volumes with their directory. */
    static List<Object> mounts(Container c, Function<String, Path> volumePaths) {
        List<Object> out = new ArrayList<>();
        for (MountSpec m : c.hostConfig().allMounts()) {
            JsonObjectBuilder b = JsonObjectBuilder.create();
            switch (m.type()) {
                case VOLUME -> {
                    Path dir = volumePaths.apply(m.source());
                    b.put("Type", "volume").put("Name", m.source()).put("Source", dir == null ? "" : dir.toString())
                            .put("Destination", m.target()).put("Driver", "local").put("Mode", "z")
                            .put("RW", !m.readOnly()).put("Propagation", "");
                }
                case BIND -> b.put("Type", "bind").put("Source", m.source()).put("Destination", m.target())
                        .put("Mode", "").put("RW", !m.readOnly()).put("Propagation", "rprivate");
                case TMPFS -> b.put("Type", "tmpfs").put("Source", "").put("Destination", m.target())
                        .put("Mode", "").put("RW", !m.readOnly()).put("Propagation", "");
            }
            out.add(b.build());
        }
        return out;
    }
}
