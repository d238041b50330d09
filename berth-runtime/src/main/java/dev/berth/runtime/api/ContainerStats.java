package dev.berth.runtime.api;

/**
 * A snapshot of a container's resource usage, shaped like the "data" of runc's
 * {@code events --stats} output (cpu, memory, pids). Values the host cannot report are 0.
 */
public record ContainerStats(
        long cpuTotalNanos,
        long cpuUserNanos,
        long cpuKernelNanos,
        long memoryUsageBytes,
        long memoryLimitBytes,
        long memoryMaxUsageBytes,
        long memoryCache,
        long pidsCurrent,
        long pidsLimit) {}
