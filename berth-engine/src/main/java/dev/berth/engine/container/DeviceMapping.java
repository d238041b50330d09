package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.util.Objects;

/**
 * One of HostConfig.Devices (docker's {@code --device /dev/x[:/dev/y[:rwm]]}): a host device
 * node (or a directory of them) made in the container, with the device cgroup access given.
 * An empty container path is the host path and empty permissions are {@code rwm}, as dockerd
 * fills them in.
 */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    public DeviceMapping {
        pathOnHost = Objects.requireNonNullElse(pathOnHost, "");
        if (pathOnHost.isEmpty()) {
            throw BerthException.invalid("invalid device mapping: PathOnHost must not be empty");
        }
        pathInContainer = pathInContainer == null || pathInContainer.isEmpty() ? pathOnHost : pathInContainer;
        if (!pathInContainer.startsWith("/")) {
            throw BerthException.invalid(pathInContainer + " is not an absolute path");
        }
        cgroupPermissions = cgroupPermissions == null || cgroupPermissions.isEmpty() ? "rwm" : cgroupPermissions;
        if (!cgroupPermissions.matches("[rwm]{1,3}") || cgroupPermissions.chars().distinct().count() != cgroupPermissions.length()) {
            throw BerthException.invalid("bad mode specified: " + cgroupPermissions);
        }
    }
}
