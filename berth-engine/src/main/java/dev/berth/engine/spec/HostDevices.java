package dev.berth.engine.spec;

import dev.berth.engine.container.DeviceMapping;
import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * docker's {@code --device}: each mapping's host node is looked at when the container starts
 * (dockerd does it then too, so a create with a missing device succeeds and its start fails),
 * links followed; a directory gives every device node under it. Each node becomes a
 * linux.devices entry (type, numbers, mode and owner of the host's node) and a device cgroup
 * rule allowing it with the mapping's permissions.
 */
public final class HostDevices {
    /** The nodes to make and the rules that let the container use them. */
    public record Resolved(List<Device> devices, List<Resources.DeviceRule> rules) {}

    private HostDevices() {}

    public static Resolved resolve(List<DeviceMapping> mappings) {
        List<Device> devices = new ArrayList<>();
        List<Resources.DeviceRule> rules = new ArrayList<>();
        for (DeviceMapping m : mappings) {
            Path host = Path.of(m.pathOnHost());
            if (Files.isDirectory(host)) {
                // docker: every device under the directory, at the same relative path; others skipped
                try (Stream<Path> walk = Files.walk(host)) {
                    for (Path p : walk.sorted().toList()) {
                        String rel = host.relativize(p).toString();
                        node(p, rel.isEmpty() ? m.pathInContainer() : m.pathInContainer() + "/" + rel, m.cgroupPermissions(), false)
                                .ifPresent(d -> add(d, m, devices, rules));
                    }
                } catch (IOException e) {
                    throw gathering(m, e.getMessage());
                }
            } else {
                add(node(host, m.pathInContainer(), m.cgroupPermissions(), true).orElseThrow(), m, devices, rules);
            }
        }
        return new Resolved(devices, rules);
    }

    /** Directories of /dev that --privileged does not copy (runc's HostDevices skips the same). */
    private static final java.util.Set<String> SKIPPED = java.util.Set.of("pts", "shm", "fd", "mqueue", ".lxc",
            ".lxd-mounts", ".udev");

    /**
     * Every char and block device of the host's /dev, for a --privileged container (docker gives
     * it the host's devices); the container's own console, pts, shm and mqueue are not copied.
     * Links are not followed (/dev/stdin and the like point into /proc).
     */
    public static List<Device> all(Path dev) {
        List<Device> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dev)) {
            for (Path p : walk.sorted().toList()) {
                Path rel = dev.relativize(p);
                if (rel.toString().isEmpty() || SKIPPED.contains(rel.getName(0).toString())
                        || rel.toString().equals("console") || Files.isSymbolicLink(p)) {
                    continue;
                }
                try {
                    node(p, "/dev/" + rel, "rwm", false).filter(d -> !d.type().equals("p")).ifPresent(out::add);
                } catch (BerthException gone) {
                    // removed while we walked (a hot-unplugged device): not there to copy
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw BerthException.internal("list the host's devices in " + dev + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void add(Device d, DeviceMapping m, List<Device> devices, List<Resources.DeviceRule> rules) {
        devices.add(d);
        rules.add(new Resources.DeviceRule(true, d.type(), d.major(), d.minor(), m.cgroupPermissions()));
    }

    /** The device at {@code host}; empty for a non-device in a directory, an error for one named directly. */
    private static java.util.Optional<Device> node(Path host, String inContainer, String permissions, boolean named) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(host, "unix:mode,rdev,uid,gid");
        } catch (NoSuchFileException e) {
            throw gathering(host.toString(), "no such file or directory");
        } catch (IOException e) {
            throw gathering(host.toString(), e.getMessage());
        }
        int mode = (int) a.get("mode");
        String type = switch (mode & 0170000) {
            case 0020000 -> "c";
            case 0060000 -> "b";
            case 0010000 -> "p";
            default -> null;
        };
        if (type == null) {
            if (named) {
                throw gathering(host.toString(), "not a device node");
            }
            return java.util.Optional.empty();
        }
        long rdev = (long) a.get("rdev");
        return java.util.Optional.of(new Device(type, inContainer, Syscalls.major(rdev), Syscalls.minor(rdev), mode & 0777,
                ((Number) a.get("uid")).longValue(), ((Number) a.get("gid")).longValue()));
    }

    private static BerthException gathering(DeviceMapping m, String why) {
        return gathering(m.pathOnHost(), why);
    }

    /** dockerd's words. */
    private static BerthException gathering(String path, String why) {
        return BerthException.invalid("error gathering device information while adding custom device \"" + path + "\": " + why);
    }
}
