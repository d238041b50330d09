package dev.berth.engine.container;

import dev.berth.engine.network.PortBinding;
import dev.berth.engine.network.PortKeys;
import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of docker's HostConfig berth honours. Sizes are bytes, {@code nanoCpus} is 1e9 per
 * CPU, 0 means unset, as in the API.
 *
 * @param memorySwap memory plus swap; -1 unlimited swap, 0 unset (docker then allows as much swap as memory)
 * @param networkMode {@code default} (what the create resolves to {@code bridge}, or {@code none} when
 *     the daemon has no default bridge), {@code none}, {@code host}, {@code bridge}, a network's
 *     name or id, or {@code container:<name|id>}
 * @param init empty when the request left it to the daemon's default
 * @param devices HostConfig.Devices (--device)
 * @param tmpfs HostConfig.Tmpfs (--tmpfs): container path → mount options ("" for docker's defaults)
 * @param shmSize /dev/shm's size in bytes (--shm-size); 0 for docker's 64 MiB
 * @param sysctls HostConfig.Sysctls (--sysctl), namespaced ones only, as docker allows
 * @param groupAdd supplementary groups (--group-add), names resolved in the image or numbers
 * @param oomScoreAdj the process's OOM score adjustment (--oom-score-adj), -1000..1000
 * @param names --add-host and --dns*
 * @param portBindings HostConfig.PortBindings (-p): "80/tcp" → where it is published (host port "" for any)
 * @param publishAllPorts HostConfig.PublishAllPorts (-P): every exposed port on a free host port
 */
public record HostConfig(
        List<String> binds,
        List<MountSpec> mounts,
        boolean autoRemove,
        RestartPolicy restartPolicy,
        long memory,
        long memorySwap,
        long nanoCpus,
        long cpuShares,
        String cpusetCpus,
        Optional<Long> pidsLimit,
        List<Ulimit> ulimits,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        List<String> securityOpt,
        boolean readonlyRootfs,
        String networkMode,
        Optional<Boolean> init,
        LogConfig logConfig,
        List<DeviceMapping> devices,
        java.util.Map<String, String> tmpfs,
        long shmSize,
        java.util.Map<String, String> sysctls,
        List<String> groupAdd,
        int oomScoreAdj,
        NameResolution names,
        java.util.Map<String, List<PortBinding>> portBindings,
        boolean publishAllPorts) {

    public static final HostConfig DEFAULT = new HostConfig(List.of(), List.of(), false, RestartPolicy.NO, 0, 0, 0, 0,
            "", Optional.empty(), List.of(), List.of(), List.of(), false, List.of(), false, "none", Optional.empty(),
            LogConfig.DEFAULT, List.of(), java.util.Map.of(), 0, java.util.Map.of(), List.of(), 0, NameResolution.NONE);

    /** Without the published ports (PortBindings, PublishAllPorts), which came with issue 5. */
    public HostConfig(List<String> binds, List<MountSpec> mounts, boolean autoRemove, RestartPolicy restartPolicy,
                      long memory, long memorySwap, long nanoCpus, long cpuShares, String cpusetCpus,
                      Optional<Long> pidsLimit, List<Ulimit> ulimits, List<String> capAdd, List<String> capDrop,
                      boolean privileged, List<String> securityOpt, boolean readonlyRootfs, String networkMode,
                      Optional<Boolean> init, LogConfig logConfig, List<DeviceMapping> devices,
                      java.util.Map<String, String> tmpfs, long shmSize, java.util.Map<String, String> sysctls,
                      List<String> groupAdd, int oomScoreAdj, NameResolution names) {
        this(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus, pidsLimit,
                ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices,
                tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, java.util.Map.of(), false);
    }

    /** Without the fields that came after LogConfig (devices, tmpfs, shm size, sysctls, groups, OOM score, names). */
    public HostConfig(List<String> binds, List<MountSpec> mounts, boolean autoRemove, RestartPolicy restartPolicy,
                      long memory, long memorySwap, long nanoCpus, long cpuShares, String cpusetCpus,
                      Optional<Long> pidsLimit, List<Ulimit> ulimits, List<String> capAdd, List<String> capDrop,
                      boolean privileged, List<String> securityOpt, boolean readonlyRootfs, String networkMode,
                      Optional<Boolean> init, LogConfig logConfig) {
        this(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus, pidsLimit,
                ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, List.of(),
                java.util.Map.of(), 0, java.util.Map.of(), List.of(), 0, NameResolution.NONE);
    }

    public HostConfig {
        binds = List.copyOf(binds);
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        cpusetCpus = Objects.requireNonNullElse(cpusetCpus, "");
        ulimits = List.copyOf(ulimits);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        securityOpt = List.copyOf(securityOpt);
        Objects.requireNonNull(logConfig, "logConfig");
        devices = List.copyOf(devices);
        sysctls = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sysctls));
        groupAdd = List.copyOf(groupAdd);
        Objects.requireNonNull(names, "names");
        checkSysctls(sysctls, networkMode);
        if (shmSize < 0) {
            throw BerthException.invalid("SHM size can not be less than 0");
        }
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw BerthException.invalid("Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
        }
        tmpfs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tmpfs));
        for (String target : tmpfs.keySet()) {
            if (!target.startsWith("/")) {
                throw BerthException.invalid("invalid mount config for type \"tmpfs\": invalid mount path: '" + target
                        + "' mount path must be absolute");
            }
        }
        networkMode = checkNetworkMode(networkMode);
        portBindings = PortKeys.checkBindings(portBindings);
        if (memory < 0 || nanoCpus < 0 || cpuShares < 0) {
            throw BerthException.invalid("invalid resources: memory, NanoCpus and CpuShares must not be negative");
        }
        if (memory > 0 && memory < 6 * 1024 * 1024) {
            throw BerthException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (memorySwap > 0 && memory > 0 && memorySwap < memory) {
            throw BerthException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memorySwap > 0 && memory == 0) {
            throw BerthException.invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (autoRemove && !restartPolicy.isNone()) {
            throw BerthException.invalid("can't create 'AutoRemove' container with restart policy");
        }
        for (String bind : binds) {
            MountSpec.parseBind(bind);
        }
    }

    /**
     * "" and "default" (what the CLI sends when no --network is given) become "default", which
     * the create resolves against the daemon's default bridge. Names of networks are looked up at
     * create; {@code container:} needs a name or id after it.
     */
    private static String checkNetworkMode(String mode) {
        String m = Objects.requireNonNullElse(mode, "");
        if (m.isEmpty() || m.equals("default")) {
            return "default";
        }
        if (m.startsWith("container:") && m.length() == "container:".length()) {
            throw BerthException.invalid("invalid container format container:<name|id>");
        }
        return m;
    }

    /** The name or id after {@code container:} when the mode is another container's network namespace. */
    public Optional<String> networkContainer() {
        return networkMode.startsWith("container:") ? Optional.of(networkMode.substring("container:".length()))
                : Optional.empty();
    }

    /** The sysctls docker lets a container set: those of its own IPC and network namespaces. */
    private static void checkSysctls(java.util.Map<String, String> sysctls, String networkMode) {
        // in runc's words (net.* with the host's network) and the CLI's (the rest)
        java.util.Set<String> ipc = java.util.Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
        for (java.util.Map.Entry<String, String> e : sysctls.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("net.")) {
                if (networkMode.equals("host")) {
                    throw BerthException.invalid("sysctl \"" + key + "\" not allowed in host network namespace");
                }
            } else if (!ipc.contains(key) && !key.startsWith("fs.mqueue.")) {
                throw BerthException.invalid("sysctl '" + key + "=" + e.getValue() + "' is not allowed");
            }
        }
    }

    /** Every bind and mount, Binds first (parsed), then Mounts. */
    public List<MountSpec> allMounts() {
        List<MountSpec> all = new java.util.ArrayList<>();
        for (String b : binds) {
            all.add(MountSpec.parseBind(b));
        }
        all.addAll(mounts);
        return all;
    }

    public HostConfig withRestartPolicy(RestartPolicy policy) {
        return new HostConfig(binds, mounts, autoRemove, policy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withAutoRemove(boolean remove) {
        return new HostConfig(binds, mounts, remove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withLogConfig(LogConfig config) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, config, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withSecurity(boolean priv, List<String> add, List<String> drop, List<String> opts) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, add, drop, priv, opts, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withResources(long mem, long swap, long cpus, long shares, String cpuset, Optional<Long> pids) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, mem, swap, cpus, shares, cpuset,
                pids, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withMounts(List<String> newBinds, List<MountSpec> newMounts, boolean readonly) {
        return new HostConfig(newBinds, newMounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares,
                cpusetCpus, pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonly, networkMode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withUlimits(List<Ulimit> newUlimits) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, newUlimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withDevices(List<DeviceMapping> newDevices) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                newDevices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withTmpfs(java.util.Map<String, String> newTmpfs) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                devices, newTmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }

    /** --shm-size, --sysctl, --group-add, --oom-score-adj. */
    public HostConfig withProcessSettings(long newShmSize, java.util.Map<String, String> newSysctls, List<String> newGroupAdd,
                                          int newOomScoreAdj) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                devices, tmpfs, newShmSize, newSysctls, newGroupAdd, newOomScoreAdj, names, portBindings, publishAllPorts);
    }

    public HostConfig withNames(NameResolution newNames) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, newNames, portBindings, publishAllPorts);
    }

    /** -p and -P. */
    public HostConfig withPorts(java.util.Map<String, List<PortBinding>> bindings, boolean publishAll) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, bindings, publishAll);
    }

    public HostConfig withNetworkMode(String mode) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, mode, init, logConfig, devices, tmpfs, shmSize, sysctls, groupAdd, oomScoreAdj, names, portBindings, publishAllPorts);
    }
}
