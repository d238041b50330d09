package dev.berth.engine.spec;

import dev.berth.image.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files docker bind-mounts over the image's {@code /etc/hostname}, {@code /etc/hosts} and
 * {@code /etc/resolv.conf}, written into the container's directory.
 */
public final class EtcFiles {
    public static final String HOSTNAME = "hostname";
    public static final String HOSTS = "hosts";
    public static final String RESOLV_CONF = "resolv.conf";

    private static final String LOCAL_HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private EtcFiles() {}

    /** Writes the three files for a container in {@code dir}; with the host's network, its own hosts and resolv.conf. */
    public static void write(Path dir, String hostname, boolean hostNetwork, Path hostEtc) {
        AtomicFiles.write(dir.resolve(HOSTNAME), (hostname + "\n").getBytes(StandardCharsets.UTF_8));
        String hosts = hostNetwork ? readOr(hostEtc.resolve("hosts"), LOCAL_HOSTS) : LOCAL_HOSTS;
        AtomicFiles.write(dir.resolve(HOSTS), hosts.getBytes(StandardCharsets.UTF_8));
        String resolv = readOr(hostEtc.resolve("resolv.conf"), "");
        AtomicFiles.write(dir.resolve(RESOLV_CONF),
                (hostNetwork ? resolv : containerResolvConf(resolv)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The host's resolv.conf without loopback nameservers (unreachable from another network
     * namespace); when none is left, docker's fallback: Google's public DNS.
     */
    static String containerResolvConf(String host) {
        List<String> lines = new ArrayList<>();
        boolean anyNameserver = false;
        for (String line : host.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("nameserver")) {
                String[] f = t.split("\\s+");
                if (f.length >= 2 && (f[1].startsWith("127.") || f[1].equals("::1"))) {
                    continue;
                }
                anyNameserver = true;
            }
            lines.add(line);
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        if (!anyNameserver) {
            lines.add("");
            lines.add("nameserver 8.8.8.8");
            lines.add("nameserver 8.8.4.4");
        }
        return String.join("\n", lines).strip() + "\n";
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
    }
}
