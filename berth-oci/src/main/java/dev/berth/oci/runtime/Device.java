package dev.berth.oci.runtime;

/** One linux.devices entry: a device node to create in the container. type is c, b, u or p. */
public record Device(String type, String path, long major, long minor, Integer fileMode, Long uid, Long gid) {}
