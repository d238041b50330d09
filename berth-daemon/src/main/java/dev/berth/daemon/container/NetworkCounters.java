package dev.berth.daemon.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One interface's counters in docker's stats shape (rx_bytes … tx_dropped), read from
 * {@code /proc/<pid>/net/dev} of a process in the container, which lists the interfaces of the
 * container's network namespace. Every interface but lo, as dockerd reports them; none for a
 * container in the host's namespace (dockerd shows no networks for --network host) or with none.
 */
record NetworkCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                       long txBytes, long txPackets, long txErrors, long txDropped) {

    Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rx_bytes", rxBytes);
        m.put("rx_packets", rxPackets);
        m.put("rx_errors", rxErrors);
        m.put("rx_dropped", rxDropped);
        m.put("tx_bytes", txBytes);
        m.put("tx_packets", txPackets);
        m.put("tx_errors", txErrors);
        m.put("tx_dropped", txDropped);
        return m;
    }

    /**
     * The interfaces of the container whose cgroup is {@code <cgroupRoot>/<ctl>/<relative>}: the
     * network namespace of the first process found in its pids, memory or cgroup2 directory.
     */
    static Map<String, NetworkCounters> ofCgroup(Path cgroupRoot, String relative) {
        for (String ctl : List.of("pids", "memory", "unified", "")) {
            Path procs = (ctl.isEmpty() ? cgroupRoot : cgroupRoot.resolve(ctl)).resolve(relative).resolve("cgroup.procs");
            Optional<String> pid = firstLine(procs);
            if (pid.isPresent()) {
                return ofProcess(Path.of("/proc", pid.get()), Path.of("/proc/self"));
            }
        }
        return Map.of();
    }

    /** The process's interfaces, none when it shares {@code self}'s network namespace or is gone. */
    static Map<String, NetworkCounters> ofProcess(Path proc, Path self) {
        try {
            if (Files.readSymbolicLink(proc.resolve("ns/net")).equals(Files.readSymbolicLink(self.resolve("ns/net")))) {
                return Map.of();
            }
            return parse(Files.readString(proc.resolve("net/dev")));
        } catch (IOException | UnsupportedOperationException e) {
            return Map.of();
        }
    }

    /** /proc/net/dev: two header lines, then "  eth0: rx-bytes rx-packets errs drop fifo frame compressed multicast tx-bytes …". */
    static Map<String, NetworkCounters> parse(String text) {
        Map<String, NetworkCounters> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 16) {
                continue;
            }
            try {
                out.put(name, new NetworkCounters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
            } catch (NumberFormatException e) {
                // a header line
            }
        }
        return out;
    }

    private static Optional<String> firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
