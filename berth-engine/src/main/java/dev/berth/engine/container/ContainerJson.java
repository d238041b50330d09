package dev.berth.engine.container;

import dev.berth.engine.network.EndpointJson;
import dev.berth.engine.network.PortBinding;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container record and docker's create body, in docker's field names (Engine API v1.47
 * {@code ContainerConfig}, {@code HostConfig}, {@code ContainerState}). The persisted file uses
 * the same names, so the daemon's create route can read a request body with
 * {@link #readConfig}/{@link #readHostConfig} and inspect can start from {@link #writeState}.
 */
public final class ContainerJson {
    /** Go's zero time, what docker prints for "never". */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final int FORMAT = 1;
    /** docker's /dev/shm size when ShmSize is 0 (inspect shows it filled in). */
    static final long DEFAULT_SHM_SIZE = 64L << 20;

    private ContainerJson() {}

    // ---- times ----

    public static String time(Instant t) {
        return t.equals(Instant.EPOCH) ? ZERO_TIME : ImageConfig.formatTime(t);
    }

    static Instant readTime(JsonObject o, String key) {
        String s = o.string(key).orElse(ZERO_TIME);
        if (s.equals(ZERO_TIME) || s.isEmpty()) {
            return Instant.EPOCH;
        }
        return ImageConfig.parseTime(s).orElseThrow(() -> o.error(key, "expected an RFC 3339 time, got \"" + s + "\""));
    }

    // ---- Config ----

    public static Map<String, Object> writeConfig(ContainerConfig c) {
        return JsonObjectBuilder.create()
                .put("Hostname", c.hostname())
                .put("Domainname", c.domainname())
                .put("User", c.user())
                .put("AttachStdin", c.attachStdin())
                .put("AttachStdout", c.attachStdout())
                .put("AttachStderr", c.attachStderr())
                .put("Tty", c.tty())
                .put("OpenStdin", c.openStdin())
                .put("StdinOnce", c.stdinOnce())
                .put("Env", c.env())
                .put("Cmd", c.cmd().orElse(null))
                .put("Image", c.image())
                .put("WorkingDir", c.workingDir())
                .put("Entrypoint", c.entrypoint().orElse(null))
                .put("Labels", Json.sortedByKey(c.labels()))
                .omitEmpty("StopSignal", c.stopSignal())
                .omitNull("StopTimeout", c.stopTimeout().map(Long::valueOf).orElse(null))
                .omitNull("Healthcheck", c.healthcheck().map(ContainerJson::writeHealthcheck).orElse(null))
                .omitEmpty("ExposedPorts", writeExposedPorts(c.exposedPorts()))
                .build();
    }

    /** docker's set as an object: {"80/tcp": {}}. */
    static Map<String, Object> writeExposedPorts(java.util.Set<String> ports) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String p : ports) {
            out.put(p, Map.of());
        }
        return out;
    }

    /** docker's PortMap: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}. */
    public static Map<String, Object> writePortMap(Map<String, List<PortBinding>> ports) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        ports.forEach((key, list) -> {
            List<Object> bindings = new ArrayList<>();
            for (PortBinding b : list) {
                bindings.add(JsonObjectBuilder.create().put("HostIp", b.hostIp()).put("HostPort", b.hostPort()).build());
            }
            out.put(key, bindings);
        });
        return out;
    }

    static Map<String, List<PortBinding>> readPortMap(JsonObject o, String key) {
        Map<String, List<PortBinding>> out = new java.util.LinkedHashMap<>();
        Optional<JsonObject> map = o.object(key);
        if (map.isEmpty()) {
            return out;
        }
        for (String port : map.get().keys()) {
            out.put(port, map.get().objects(port, b -> new PortBinding(b.string("HostIp").orElse(""),
                    b.string("HostPort").orElse(""))));
        }
        return out;
    }

    static Map<String, Object> writeHealthcheck(ImageConfig.Healthcheck h) {
        return JsonObjectBuilder.create()
                .put("Test", h.test())
                .omitEmpty("Interval", h.interval())
                .omitEmpty("Timeout", h.timeout())
                .omitEmpty("StartPeriod", h.startPeriod())
                .omitEmpty("StartInterval", h.startInterval())
                .omitEmpty("Retries", (long) h.retries())
                .build();
    }

    static ImageConfig.Healthcheck readHealthcheck(JsonObject o) {
        return new ImageConfig.Healthcheck(o.strings("Test"), o.int64("Interval").orElse(0L), o.int64("Timeout").orElse(0L),
                o.int64("StartPeriod").orElse(0L), o.int64("StartInterval").orElse(0L), o.int32("Retries").orElse(0L).intValue());
    }

    /** Reads a create body's top level (or a stored Config); absent fields take docker's defaults. */
    public static ContainerConfig readConfig(JsonObject o) {
        Optional<Integer> stopTimeout = o.int32("StopTimeout").map(Long::intValue);
        return new ContainerConfig(
                o.string("Image").orElse(""),
                optionalStrings(o, "Cmd"),
                optionalStrings(o, "Entrypoint"),
                o.strings("Env"),
                o.string("WorkingDir").orElse(""),
                o.string("User").orElse(""),
                o.stringMap("Labels"),
                o.bool("Tty").orElse(false),
                o.bool("OpenStdin").orElse(false),
                o.bool("StdinOnce").orElse(false),
                o.bool("AttachStdin").orElse(false),
                o.bool("AttachStdout").orElse(false),
                o.bool("AttachStderr").orElse(false),
                o.string("StopSignal").orElse(""),
                stopTimeout,
                o.string("Hostname").orElse(""),
                o.string("Domainname").orElse(""),
                o.object("Healthcheck").map(ContainerJson::readHealthcheck),
                o.object("ExposedPorts").map(JsonObject::keys).orElse(java.util.Set.of()));
    }

    /** A string array that may be absent or null (then empty), or a bare string (docker accepts both for Cmd and Entrypoint). */
    private static Optional<List<String>> optionalStrings(JsonObject o, String key) {
        if (!o.has(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(o.strings(key));
        } catch (BerthException e) {
            return Optional.of(List.of(o.string(key).orElseThrow()));
        }
    }

    // ---- HostConfig ----

    public static Map<String, Object> writeHostConfig(HostConfig h) {
        List<Object> mounts = new ArrayList<>();
        for (MountSpec m : h.mounts()) {
            JsonObjectBuilder b = JsonObjectBuilder.create()
                    .put("Type", m.type().name().toLowerCase(java.util.Locale.ROOT))
                    .omitEmpty("Source", m.source())
                    .put("Target", m.target())
                    .omitEmpty("ReadOnly", m.readOnly());
            if (m.noCopy()) {
                b.put("VolumeOptions", JsonObjectBuilder.create().put("NoCopy", true).build());
            }
            if (m.type() == MountSpec.Type.TMPFS && (m.tmpfsSizeBytes() != 0 || m.tmpfsMode() != 0)) {
                b.put("TmpfsOptions", JsonObjectBuilder.create()
                        .omitEmpty("SizeBytes", m.tmpfsSizeBytes())
                        .omitEmpty("Mode", (long) m.tmpfsMode())
                        .build());
            }
            mounts.add(b.build());
        }
        List<Object> ulimits = new ArrayList<>();
        for (Ulimit u : h.ulimits()) {
            ulimits.add(JsonObjectBuilder.create().put("Name", u.name()).put("Hard", u.hard()).put("Soft", u.soft()).build());
        }
        List<Object> devices = new ArrayList<>();
        for (DeviceMapping d : h.devices()) {
            devices.add(JsonObjectBuilder.create().put("PathOnHost", d.pathOnHost())
                    .put("PathInContainer", d.pathInContainer()).put("CgroupPermissions", d.cgroupPermissions()).build());
        }
        return JsonObjectBuilder.create()
                .put("Binds", h.binds().isEmpty() ? null : h.binds())
                .put("LogConfig", JsonObjectBuilder.create().put("Type", h.logConfig().type())
                        .put("Config", Json.sortedByKey(h.logConfig().config())).build())
                .put("NetworkMode", h.networkMode())
                .put("PortBindings", writePortMap(h.portBindings()))
                .put("RestartPolicy", JsonObjectBuilder.create().put("Name", h.restartPolicy().name().word())
                        .put("MaximumRetryCount", (long) h.restartPolicy().maximumRetryCount()).build())
                .put("AutoRemove", h.autoRemove())
                .put("PublishAllPorts", h.publishAllPorts())
                .put("CapAdd", h.capAdd().isEmpty() ? null : h.capAdd())
                .put("CapDrop", h.capDrop().isEmpty() ? null : h.capDrop())
                .put("Privileged", h.privileged())
                .put("ReadonlyRootfs", h.readonlyRootfs())
                .put("SecurityOpt", h.securityOpt().isEmpty() ? null : h.securityOpt())
                .put("CpuShares", h.cpuShares())
                .put("Memory", h.memory())
                .put("NanoCpus", h.nanoCpus())
                .put("CpusetCpus", h.cpusetCpus())
                .put("MemorySwap", h.memorySwap())
                .put("PidsLimit", h.pidsLimit().orElse(null))
                .put("Ulimits", ulimits)
                .omitNull("Init", h.init().orElse(null))
                .omitEmpty("Mounts", mounts)
                .put("Devices", devices)
                .omitNull("Tmpfs", h.tmpfs().isEmpty() ? null : Json.sortedByKey(h.tmpfs()))
                .put("ShmSize", h.shmSize() == 0 ? DEFAULT_SHM_SIZE : h.shmSize())
                .omitNull("Sysctls", h.sysctls().isEmpty() ? null : Json.sortedByKey(h.sysctls()))
                .put("GroupAdd", h.groupAdd().isEmpty() ? null : h.groupAdd())
                .put("OomScoreAdj", (long) h.oomScoreAdj())
                .put("ExtraHosts", h.names().extraHosts().isEmpty() ? null : h.names().extraHosts())
                .put("Dns", h.names().dns())
                .put("DnsSearch", h.names().dnsSearch())
                .put("DnsOptions", h.names().dnsOptions())
                .build();
    }

    public static HostConfig readHostConfig(JsonObject o) {
        List<MountSpec> mounts = new ArrayList<>();
        for (JsonObject m : o.objectList("Mounts")) {
            String type = m.string("Type").orElse("");
            boolean ro = m.bool("ReadOnly").orElse(false);
            String target = m.string("Target").orElse("");
            switch (type) {
                case "bind" -> mounts.add(MountSpec.bind(m.string("Source").orElse(""), target, ro));
                case "tmpfs" -> {
                    Optional<JsonObject> t = m.object("TmpfsOptions");
                    long size = t.flatMap(x -> x.int64("SizeBytes")).orElse(0L);
                    int mode = t.flatMap(x -> x.uint32("Mode")).orElse(0L).intValue();
                    mounts.add(new MountSpec(MountSpec.Type.TMPFS, m.string("Source").orElse(""), target, ro, size, mode));
                }
                case "volume" -> mounts.add(MountSpec.volume(m.string("Source").orElse(""), target, ro)
                        .withNoCopy(m.object("VolumeOptions").flatMap(v -> v.bool("NoCopy")).orElse(false)));
                default -> throw BerthException.invalid("invalid mount config: mount type unknown: \"" + type + "\"");
            }
        }
        List<Ulimit> ulimits = new ArrayList<>();
        for (JsonObject u : o.objectList("Ulimits")) {
            ulimits.add(new Ulimit(u.string("Name").orElse(""), u.int64("Soft").orElse(0L), u.int64("Hard").orElse(0L)));
        }
        RestartPolicy policy = o.object("RestartPolicy")
                .map(r -> RestartPolicy.of(r.string("Name").orElse(""), r.int32("MaximumRetryCount").orElse(0L).intValue()))
                .orElse(RestartPolicy.NO);
        LogConfig log = o.object("LogConfig")
                .map(l -> new LogConfig(l.string("Type").orElse(""), l.stringMap("Config")))
                .orElse(LogConfig.DEFAULT);
        Optional<Long> pids = o.int64("PidsLimit").filter(n -> n != 0);
        List<DeviceMapping> devices = new ArrayList<>();
        for (JsonObject d : o.objectList("Devices")) {
            devices.add(new DeviceMapping(d.string("PathOnHost").orElse(""), d.string("PathInContainer").orElse(""),
                    d.string("CgroupPermissions").orElse("")));
        }
        return new HostConfig(
                o.strings("Binds"),
                mounts,
                o.bool("AutoRemove").orElse(false),
                policy,
                o.int64("Memory").orElse(0L),
                o.int64("MemorySwap").orElse(0L),
                o.int64("NanoCpus").orElse(0L),
                o.int64("CpuShares").orElse(0L),
                o.string("CpusetCpus").orElse(""),
                pids,
                ulimits,
                o.strings("CapAdd"),
                o.strings("CapDrop"),
                o.bool("Privileged").orElse(false),
                o.strings("SecurityOpt"),
                o.bool("ReadonlyRootfs").orElse(false),
                o.string("NetworkMode").orElse(""),
                o.bool("Init"),
                log,
                devices,
                o.stringMap("Tmpfs"),
                o.int64("ShmSize").filter(n -> n != DEFAULT_SHM_SIZE).orElse(0L),
                o.stringMap("Sysctls"),
                o.strings("GroupAdd"),
                o.int32("OomScoreAdj").orElse(0L).intValue(),
                new NameResolution(o.strings("ExtraHosts"), o.strings("Dns"), o.strings("DnsSearch"), o.strings("DnsOptions")),
                readPortMap(o, "PortBindings"),
                o.bool("PublishAllPorts").orElse(false));
    }

    // ---- State ----

    public static Map<String, Object> writeState(ContainerState s) {
        return JsonObjectBuilder.create()
                .put("Status", s.status().word())
                .put("Running", s.running())
                .put("Paused", s.paused())
                .put("Restarting", s.restarting())
                .put("OOMKilled", s.oomKilled())
                .put("Dead", s.dead())
                .put("Pid", (long) s.pid())
                .put("ExitCode", (long) s.exitCode())
                .put("Error", s.error())
                .put("StartedAt", time(s.startedAt()))
                .put("FinishedAt", time(s.finishedAt()))
                .omitNull("Health", s.health().map(ContainerJson::writeHealth).orElse(null))
                .build();
    }

    /** docker's State.Health: Status, FailingStreak, Log of {Start, End, ExitCode, Output}. */
    public static Map<String, Object> writeHealth(Health h) {
        List<Object> log = new ArrayList<>();
        for (Health.Result r : h.log()) {
            log.add(JsonObjectBuilder.create().put("Start", time(r.start())).put("End", time(r.end()))
                    .put("ExitCode", (long) r.exitCode()).put("Output", r.output()).build());
        }
        return JsonObjectBuilder.create().put("Status", h.status()).put("FailingStreak", (long) h.failingStreak())
                .put("Log", log).build();
    }

    static Health readHealth(JsonObject o) {
        List<Health.Result> log = new ArrayList<>();
        for (JsonObject r : o.objectList("Log")) {
            log.add(new Health.Result(readTime(r, "Start"), readTime(r, "End"), r.int32("ExitCode").orElse(0L).intValue(),
                    r.string("Output").orElse("")));
        }
        return new Health(o.string("Status").orElse(Health.STARTING), o.int32("FailingStreak").orElse(0L).intValue(), log);
    }

    static ContainerState readState(JsonObject o) {
        return new ContainerState(
                Status.fromWord(o.string("Status").orElse("created")),
                o.int32("Pid").orElse(0L).intValue(),
                o.int32("ExitCode").orElse(0L).intValue(),
                o.string("Error").orElse(""),
                o.bool("OOMKilled").orElse(false),
                readTime(o, "StartedAt"),
                readTime(o, "FinishedAt"),
                o.object("Health").map(ContainerJson::readHealth));
    }

    // ---- the record ----

    public static byte[] write(Container c) {
        Map<String, Object> tree = JsonObjectBuilder.create()
                .put("BerthFormat", (long) FORMAT)
                .put("Id", c.id())
                .put("Created", time(c.created()))
                .put("Path", c.path())
                .put("Args", c.args())
                .put("State", writeState(c.state()))
                .put("Image", c.imageId().toString())
                .put("Name", c.name().value())
                .put("RestartCount", (long) c.restartCount())
                .put("HasBeenStartedBefore", c.startedBefore())
                .put("HasBeenManuallyStopped", c.manuallyStopped())
                .put("Config", writeConfig(c.config()))
                .put("HostConfig", writeHostConfig(c.hostConfig()))
                .put("NetworkSettings", JsonObjectBuilder.create().put("Networks", EndpointJson.writeAll(c.networks()))
                        .put("Ports", writePortMap(c.ports())).build())
                .build();
        return Json.writePretty(tree).getBytes(StandardCharsets.UTF_8);
    }

    public static Container read(byte[] bytes, String source) {
        JsonObject o = JsonObject.root(source, Json.parse(new String(bytes, StandardCharsets.UTF_8), source));
        long format = o.int64("BerthFormat").orElse(0L);
        if (format != FORMAT) {
            throw o.error("BerthFormat", "unknown format " + format + " (this berth reads " + FORMAT + ")");
        }
        return new Container(
                o.string("Id").orElse(""),
                ContainerName.of(o.string("Name").orElse("")),
                readTime(o, "Created"),
                Digest.parse(o.string("Image").orElseThrow(() -> o.error("Image", "required"))),
                readConfig(o.object("Config").orElseThrow(() -> o.error("Config", "required"))),
                readHostConfig(o.object("HostConfig").orElseThrow(() -> o.error("HostConfig", "required"))),
                o.string("Path").orElse(""),
                o.strings("Args"),
                readState(o.object("State").orElseThrow(() -> o.error("State", "required"))),
                o.int32("RestartCount").orElse(0L).intValue(),
                o.bool("HasBeenManuallyStopped").orElse(false),
                o.bool("HasBeenStartedBefore").orElse(false),
                o.object("NetworkSettings").map(n -> n.objectMap("Networks", EndpointJson::read)).orElse(Map.of()),
                o.object("NetworkSettings").map(n -> readPortMap(n, "Ports")).orElse(Map.of()));
    }
}
