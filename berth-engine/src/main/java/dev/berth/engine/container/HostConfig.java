package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of docker's HostConfig berth honours. Sizes are bytes, {@code nanoCpus} is 1e9 per
 * CPU, 0 means unset, as in the API.
 *
 * @param memorySwap memory plus swap; -1 unlimited swap, 0 unset (docker then allows as much swap as memory)
 * @param networkMode {@code none} or {@code host}; docker's default bridge comes with issue 5
 * @param init empty when the request left it to the daemon's default
 * @param devices HostConfig.Devices (--device)
 * @param tmpfs HostConfig.Tmpfs (--tmpfs): container path → mount options ("" for docker's defaults)
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
        java.util.Map<String, String> tmpfs) {

    public static final HostConfig DEFAULT = new HostConfig(List.of(), List.of(), false, RestartPolicy.NO, 0, 0, 0, 0,
            "", Optional.empty(), List.of(), List.of(), List.of(), false, List.of(), false, "none", Optional.empty(),
            LogConfig.DEFAULT, List.of(), java.util.Map.of());

    /** Without devices and --tmpfs mounts (the fields before they existed). */
    public HostConfig(List<String> binds, List<MountSpec> mounts, boolean autoRemove, RestartPolicy restartPolicy,
                      long memory, long memorySwap, long nanoCpus, long cpuShares, String cpusetCpus,
                      Optional<Long> pidsLimit, List<Ulimit> ulimits, List<String> capAdd, List<String> capDrop,
                      boolean privileged, List<String> securityOpt, boolean readonlyRootfs, String networkMode,
                      Optional<Boolean> init, LogConfig logConfig) {
        this(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus, pidsLimit,
                ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, List.of(),
                java.util.Map.of());
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
        tmpfs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tmpfs));
        for (String target : tmpfs.keySet()) {
            if (!target.startsWith("/")) {
                throw BerthException.invalid("invalid mount config for type \"tmpfs\": invalid mount path: '" + target
                        + "' mount path must be absolute");
            }
        }
        networkMode = checkNetworkMode(networkMode);
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
     * "" and "default" (what the CLI sends when no --network is given) run without a network
     * for now: docker's default bridge needs issue 5. Asking for a bridge by name is an error.
     */
    private static String checkNetworkMode(String mode) {
        String m = Objects.requireNonNullElse(mode, "");
        return switch (m) {
            case "", "default", "none" -> "none";
            case "host" -> "host";
            default -> throw BerthException.unsupported("network mode \"" + m
                    + "\" is not supported yet: bridge and user-defined networks come with issue 5; use --network none or --network host");
        };
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
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs);
    }

    public HostConfig withAutoRemove(boolean remove) {
        return new HostConfig(binds, mounts, remove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs);
    }

    public HostConfig withLogConfig(LogConfig config) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, config, devices, tmpfs);
    }

    public HostConfig withSecurity(boolean priv, List<String> add, List<String> drop, List<String> opts) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, add, drop, priv, opts, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs);
    }

    public HostConfig withResources(long mem, long swap, long cpus, long shares, String cpuset, Optional<Long> pids) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, mem, swap, cpus, shares, cpuset,
                pids, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs);
    }

    public HostConfig withMounts(List<String> newBinds, List<MountSpec> newMounts, boolean readonly) {
        return new HostConfig(newBinds, newMounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares,
                cpusetCpus, pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonly, networkMode, init, logConfig, devices, tmpfs);
    }

    public HostConfig withUlimits(List<Ulimit> newUlimits) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, newUlimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig, devices, tmpfs);
    }

    public HostConfig withDevices(List<DeviceMapping> newDevices) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                newDevices, tmpfs);
    }

    public HostConfig withTmpfs(java.util.Map<String, String> newTmpfs) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, networkMode, init, logConfig,
                devices, newTmpfs);
    }

    public HostConfig withNetworkMode(String mode) {
        return new HostConfig(binds, mounts, autoRemove, restartPolicy, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus,
                pidsLimit, ulimits, capAdd, capDrop, privileged, securityOpt, readonlyRootfs, mode, init, logConfig, devices, tmpfs);
    }
}
