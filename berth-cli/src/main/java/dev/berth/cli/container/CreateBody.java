package dev.berth.cli.container;

import dev.berth.cli.tty.WindowSize;
import dev.berth.oci.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /containers/create} from docker run's flags, with the docker CLI's
 * checks in its order: flag values first ({@link FlagValueException}), then the combinations
 * and files ({@link RunException}). What only the daemon can judge (a restart policy's name, a
 * bind source, a mount type) is sent as given, for the daemon to refuse in its own words.
 */
public final class CreateBody {
    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    /** What the create request needs besides the body: the attach choice follows from the flags. */
    public record Request(Map<String, Object> body, boolean attachStdin, boolean attachStdout, boolean attachStderr) {}

    private CreateBody() {}

    /**
     * Checks the flags and builds the body.
     *
     * @param detach       docker run -d (create is never detached: its container is made to attach to)
     * @param environment  the CLI's environment, for {@code -e NAME} without a value
     * @param console      the terminal's size for {@code -t}, or null
     */
    public static Request build(ContainerFlags f, boolean detach, String image, List<String> command, Map<String, String> environment,
            WindowSize console) {
        // pflag's conversions, flag by flag
        Boolean[] streams = attachStreams(f.attach);
        long memory = f.memory == null ? 0 : flag("-m, --memory", f.memory, () -> GoValues.ramInBytes(f.memory));
        long swap = f.memorySwap == null ? 0 : flag("--memory-swap", f.memorySwap, () -> GoValues.memSwapBytes(f.memorySwap));
        long nanoCpus = f.cpus == null ? 0 : flag("--cpus", f.cpus, () -> GoValues.nanoCpus(f.cpus));
        long cpuShares = f.cpuShares == null ? 0 : flag("-c, --cpu-shares", f.cpuShares, () -> GoValues.parseInt(f.cpuShares));
        Long pids = f.pidsLimit == null ? null : flag("--pids-limit", f.pidsLimit, () -> GoValues.parseInt(f.pidsLimit));
        Long stopTimeout = f.stopTimeout == null ? null
                : flag("--stop-timeout", f.stopTimeout, () -> GoValues.parseInt(f.stopTimeout));
        long healthInterval = duration("--health-interval", f.healthInterval);
        long healthTimeout = duration("--health-timeout", f.healthTimeout);
        long healthStart = duration("--health-start-period", f.healthStartPeriod);
        long healthRetries = f.healthRetries == null ? 0
                : flag("--health-retries", f.healthRetries, () -> GoValues.parseInt(f.healthRetries));
        List<Object> ulimits = new ArrayList<>();
        for (String u : f.ulimits) {
            ulimits.add(ulimit(u));
        }
        List<Object> mounts = new ArrayList<>();
        for (String m : f.mounts) {
            mounts.add(MountFlag.parse(m));
        }
        List<String> dns = new ArrayList<>();
        for (String d : f.dns) {
            dns.add(NameResolutionFlags.dns(d));
        }
        List<String> dnsSearch = new ArrayList<>();
        for (String d : f.dnsSearch) {
            dnsSearch.add(NameResolutionFlags.dnsSearch(d));
        }
        List<String> extraHosts = new ArrayList<>();
        for (String h : f.addHosts) {
            extraHosts.add(NameResolutionFlags.extraHost(h));
        }
        List<NetworkAttachment> networks = new ArrayList<>();
        for (String n : f.networks) {
            networks.add(NetworkAttachment.parse(n));
        }

        // then docker's checks of the whole (cli/command/container/opts.go parse)
        if (f.macAddress != null && !f.macAddress.isEmpty() && !MacAddress.valid(f.macAddress)) {
            throw new RunException(f.macAddress + " is not a valid mac address");
        }
        if (detach && !f.attach.isEmpty()) {
            throw new dev.berth.cli.CommandFailed("conflicting options: cannot specify both --attach and --detach");
        }
        boolean attachStdin = streams != null ? streams[0] : f.interactive && !detach;
        boolean attachStdout = streams != null ? streams[1] : !detach;
        boolean attachStderr = streams != null ? streams[2] : !detach;

        Map<String, Object> binds = new LinkedHashMap<>();
        Map<String, Object> anonymous = new LinkedHashMap<>();
        for (String v : f.volumes) {
            volume(v, binds, anonymous);
        }
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        for (String t : f.tmpfs) {
            int colon = t.indexOf(':');
            tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        PortSpecs.Ports ports = PortSpecs.parse(f.publish, f.expose);
        List<Object> devices = new ArrayList<>();
        for (String d : f.devices) {
            devices.add(device(d));
        }
        List<String> env = EnvVariables.of(f.envFiles, f.env, environment);
        Map<String, Object> labels = new LinkedHashMap<>();
        for (String l : f.labels) {
            int eq = l.indexOf('=');
            labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        Map<String, Object> logOpts = new LinkedHashMap<>();
        for (String o : f.logOpts) {
            int eq = o.indexOf('=');
            logOpts.put(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
        }
        Map<String, Object> healthcheck = healthcheck(f, healthInterval, healthTimeout, healthStart, healthRetries);
        List<String> securityOpts = SecurityOpts.parse(f.securityOpts);
        Map<String, Object> restart = restartPolicy(f.restart, f.autoRemove);
        Map<String, Object> endpoints = NetworkEndpoints.build(networks, new NetworkEndpoints.ContainerOptions(
                f.networkAliases, orEmpty(f.ip), orEmpty(f.ip6), orEmpty(f.macAddress)));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Hostname", f.hostname == null ? "" : f.hostname);
        body.put("Domainname", "");
        body.put("User", f.user == null ? "" : f.user);
        body.put("AttachStdin", attachStdin);
        body.put("AttachStdout", attachStdout);
        body.put("AttachStderr", attachStderr);
        body.put("Tty", f.tty);
        body.put("OpenStdin", f.interactive);
        body.put("StdinOnce", f.interactive && attachStdin);
        body.put("Env", env.isEmpty() ? null : env);
        body.put("Cmd", command.isEmpty() ? null : command);
        if (!ports.exposed().isEmpty()) {
            body.put("ExposedPorts", ports.exposedJson());
        }
        if (healthcheck != null) {
            body.put("Healthcheck", healthcheck);
        }
        body.put("Image", image);
        body.put("Volumes", anonymous.isEmpty() ? null : anonymous);
        body.put("WorkingDir", f.workdir == null ? "" : f.workdir);
        if (f.entrypoint != null) {
            body.put("Entrypoint", List.of(f.entrypoint));
        } else {
            body.put("Entrypoint", null);
        }
        body.put("OnBuild", null);
        body.put("Labels", labels);
        if (f.stopSignal != null) {
            body.put("StopSignal", f.stopSignal);
        }
        if (stopTimeout != null) {
            body.put("StopTimeout", stopTimeout);
        }

        Map<String, Object> host = new LinkedHashMap<>();
        host.put("Binds", binds.isEmpty() ? null : new ArrayList<>(binds.keySet()));
        host.put("ContainerIDFile", "");
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("Type", f.logDriver == null ? "" : f.logDriver);
        log.put("Config", logOpts);
        host.put("LogConfig", log);
        host.put("NetworkMode", NetworkEndpoints.mode(networks));
        host.put("PortBindings", ports.bindingsJson());
        host.put("RestartPolicy", restart);
        host.put("AutoRemove", f.autoRemove);
        host.put("VolumeDriver", "");
        host.put("VolumesFrom", null);
        host.put("ConsoleSize", console == null ? List.of(0, 0) : List.of(console.rows(), console.columns()));
        host.put("CapAdd", f.capAdd.isEmpty() ? null : f.capAdd);
        host.put("CapDrop", f.capDrop.isEmpty() ? null : f.capDrop);
        host.put("CgroupnsMode", "");
        host.put("Dns", dns);
        host.put("DnsOptions", f.dnsOptions);
        host.put("DnsSearch", dnsSearch);
        host.put("ExtraHosts", extraHosts.isEmpty() ? null : extraHosts);
        host.put("GroupAdd", null);
        host.put("IpcMode", "");
        host.put("Cgroup", "");
        host.put("Links", null);
        host.put("OomScoreAdj", 0);
        host.put("PidMode", "");
        host.put("Privileged", f.privileged);
        host.put("PublishAllPorts", f.publishAll);
        host.put("ReadonlyRootfs", f.readOnly);
        host.put("SecurityOpt", securityOpts.isEmpty() ? null : securityOpts);
        if (!tmpfs.isEmpty()) {
            host.put("Tmpfs", tmpfs);
        }
        host.put("UTSMode", "");
        host.put("UsernsMode", "");
        host.put("ShmSize", 0);
        host.put("Isolation", "");
        host.put("CpuShares", cpuShares);
        host.put("Memory", memory);
        host.put("NanoCpus", nanoCpus);
        host.put("CgroupParent", "");
        host.put("BlkioWeight", 0);
        host.put("CpusetCpus", f.cpusetCpus == null ? "" : f.cpusetCpus);
        host.put("CpusetMems", "");
        host.put("Devices", devices);
        host.put("MemoryReservation", 0);
        host.put("MemorySwap", swap);
        host.put("PidsLimit", pids);
        host.put("Ulimits", ulimits);
        if (!mounts.isEmpty()) {
            host.put("Mounts", mounts);
        }
        if (f.init != null) {
            host.put("Init", f.init);
        }
        body.put("HostConfig", host);
        body.put("NetworkingConfig", Map.of("EndpointsConfig", endpoints));
        return new Request(body, attachStdin, attachStdout, attachStderr);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private interface Conversion<T> {
        T convert();
    }

    private static <T> T flag(String name, String value, Conversion<T> conversion) {
        try {
            return conversion.convert();
        } catch (IllegalArgumentException e) {
            throw new FlagValueException(name, value, e.getMessage());
        }
    }

    private static long duration(String name, String value) {
        return value == null ? 0 : flag(name, value, () -> GoValues.parseDuration(value));
    }

    /** -a: which of stdin, stdout, stderr; null when -a was not given. */
    private static Boolean[] attachStreams(List<String> attach) {
        if (attach.isEmpty()) {
            return null;
        }
        Boolean[] streams = {false, false, false};
        for (String a : attach) {
            switch (a.toLowerCase(Locale.ROOT)) {
                case "stdin" -> streams[0] = true;
                case "stdout" -> streams[1] = true;
                case "stderr" -> streams[2] = true;
                default -> throw new FlagValueException("-a, --attach", a, "valid streams are STDIN, STDOUT and STDERR");
            }
        }
        return streams;
    }

    /** --ulimit name=soft[:hard], as go-units ParseUlimit. */
    static Map<String, Object> ulimit(String value) {
        int eq = value.indexOf('=');
        if (eq < 0) {
            throw new FlagValueException("--ulimit", value, "invalid ulimit argument: " + value);
        }
        String name = value.substring(0, eq);
        if (!ULIMITS.contains(name)) {
            throw new FlagValueException("--ulimit", value, "invalid ulimit type: " + name);
        }
        String[] limits = value.substring(eq + 1).split(":", -1);
        if (limits.length > 2) {
            throw new FlagValueException("--ulimit", value, "too many limit value arguments - " + value.substring(eq + 1)
                    + ", can only have up to two, `soft[:hard]`");
        }
        long soft = flag("--ulimit", value, () -> GoValues.parseInt(limits[0]));
        long hard = limits.length == 2 ? flag("--ulimit", value, () -> GoValues.parseInt(limits[1])) : soft;
        if (soft > hard) {
            throw new FlagValueException("--ulimit", value, "ulimit soft limit must be less than or equal to hard limit: "
                    + soft + " > " + hard);
        }
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("Name", name);
        u.put("Hard", hard);
        u.put("Soft", soft);
        return u;
    }

    /** -v: "dst" is an anonymous volume, "src:dst[:mode]" a bind or named volume (the daemon checks modes). */
    private static void volume(String value, Map<String, Object> binds, Map<String, Object> anonymous) {
        if (value.isEmpty()) {
            throw new RunException("invalid empty volume spec");
        }
        if (value.indexOf(':') < 0) {
            anonymous.put(value, Map.of());
        } else {
            binds.put(value, Boolean.TRUE);
        }
    }

    /** --device host[:container[:permissions]]; docker checks it after the flags, so its errors are run's. */
    private static Map<String, Object> device(String value) {
        String[] parts = value.split(":", -1);
        String host = parts[0];
        String container = host;
        String permissions = "rwm";
        if (parts.length == 2) {
            if (isPermissions(parts[1])) {
                permissions = parts[1];
            } else {
                container = parts[1];
            }
        } else if (parts.length == 3) {
            container = parts[1];
            if (!isPermissions(parts[2])) {
                throw new RunException("bad mode specified: " + parts[2]);
            }
            permissions = parts[2];
        } else if (parts.length > 3) {
            throw new RunException("bad format for path: " + value);
        }
        if (!container.startsWith("/")) {
            throw new RunException(container + " is not an absolute path");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("PathOnHost", host);
        d.put("PathInContainer", container);
        d.put("CgroupPermissions", permissions);
        return d;
    }

    private static boolean isPermissions(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm') && s.length() <= 3;
    }

    private static Map<String, Object> healthcheck(ContainerFlags f, long interval, long timeout, long start,
            long retries) {
        boolean any = f.healthCmd != null || f.healthInterval != null || f.healthTimeout != null
                || f.healthStartPeriod != null || f.healthRetries != null;
        if (f.noHealthcheck) {
            if (any) {
                throw new RunException("--no-healthcheck conflicts with --health-* options");
            }
            return new LinkedHashMap<>(Map.of("Test", List.of("NONE")));
        }
        if (!any) {
            return null;
        }
        if (interval < 0) {
            throw new RunException("--health-interval cannot be negative");
        }
        if (timeout < 0) {
            throw new RunException("--health-timeout cannot be negative");
        }
        if (retries < 0) {
            throw new RunException("--health-retries cannot be negative");
        }
        if (start < 0) {
            throw new RunException("--health-start-period cannot be negative");
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Test", f.healthCmd == null || f.healthCmd.isEmpty() ? null : List.of("CMD-SHELL", f.healthCmd));
        h.put("Interval", interval);
        h.put("Timeout", timeout);
        h.put("StartPeriod", start);
        h.put("Retries", retries);
        return h;
    }

    /** --restart name[:count]; the daemon judges the name. */
    private static Map<String, Object> restartPolicy(String value, boolean autoRemove) {
        String name = "no";
        long count = 0;
        if (value != null && !value.isEmpty()) {
            int colon = value.indexOf(':');
            name = colon < 0 ? value : value.substring(0, colon);
            if (colon >= 0) {
                try {
                    count = Long.parseLong(value.substring(colon + 1));
                } catch (NumberFormatException e) {
                    if (!autoRemove || name.equals("no")) {
                        throw new RunException("invalid restart policy format: maximum retry count must be an integer");
                    }
                }
            }
            if (autoRemove && !name.equals("no")) {
                throw new RunException("conflicting options: cannot specify both --restart and --rm");
            }
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Name", name);
        policy.put("MaximumRetryCount", count);
        return policy;
    }

    /** Go's json.Compact: whitespace between tokens removed, strings kept as they are. */
    static String compact(String json) {
        Json.parse(json, "seccomp profile"); // refuses what is not JSON
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A file's text, or docker's words for why not ("open /x: no such file or directory"). */
    static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RunException("open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new RunException("open " + file + ": " + e.getMessage());
        }
    }
}
