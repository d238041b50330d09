package dev.berth.oci.runtime;

/** One process.rlimits entry, e.g. RLIMIT_NOFILE. soft and hard are unsigned 64-bit. */
public record Rlimit(String type, long soft, long hard) {}
