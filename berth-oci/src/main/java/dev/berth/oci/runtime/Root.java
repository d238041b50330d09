package dev.berth.oci.runtime;

/** root: the container's root filesystem, relative to the bundle unless absolute. */
public record Root(String path, boolean readonly) {}
