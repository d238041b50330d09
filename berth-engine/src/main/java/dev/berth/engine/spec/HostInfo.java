package dev.berth.engine.spec;

import dev.berth.runtime.seccomp.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Facts about the host that shape a container's spec: the architecture and kernel (for the
 * seccomp profile's conditions), its hostname (for --network host), whether the memory cgroup
 * accounts swap, and the init binary {@code --init} bind-mounts (docker-init, i.e. tini).
 */
public record HostInfo(Arch arch, String kernelVersion, String hostname, boolean swapAccounting, Optional<Path> initBinary,
                       Path etc) {

    public static HostInfo detect() {
        String kernel = read(Path.of("/proc/sys/kernel/osrelease")).orElse("0.0");
        String hostname = read(Path.of("/proc/sys/kernel/hostname")).orElse("localhost");
        boolean swap = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
                || Files.exists(Path.of("/sys/fs/cgroup/memory.swap.max"));
        Optional<Path> init = Optional.empty();
        for (String candidate : new String[] {"/usr/bin/docker-init", "/usr/bin/tini-static", "/usr/libexec/docker/docker-init"}) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                try {
                    init = Optional.of(p.toRealPath());
                } catch (IOException e) {
                    continue;
                }
                break;
            }
        }
        return new HostInfo(Arch.host(), kernel, hostname, swap, init, Path.of("/etc"));
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
