package dev.berth.engine;

import java.nio.file.Path;

/** The files docker's inspect names: LogPath, HostnamePath, HostsPath, ResolvConfPath. */
public record ContainerPaths(Path logPath, Path hostnamePath, Path hostsPath, Path resolvConfPath) {}
