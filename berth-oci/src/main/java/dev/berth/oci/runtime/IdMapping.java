package dev.berth.oci.runtime;

/** A uid or gid mapping: container ids [containerID, containerID+size) map to host ids from hostID. */
public record IdMapping(long containerID, long hostID, long size) {}
