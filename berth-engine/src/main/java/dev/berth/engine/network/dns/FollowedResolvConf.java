package dev.berth.engine.network.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * The nameservers of a resolv.conf that may change while the server runs (DHCP, a VPN,
 * systemd-resolved rewriting its stub file): read again when the file's modification time,
 * size or inode changes, so a forwarded question costs one stat, not a read.
 */
final class FollowedResolvConf implements DnsUpstreams {
    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, List.of());

    private record Snapshot(Object version, List<InetSocketAddress> servers) {}

    FollowedResolvConf(Path file) {
        this.file = file;
    }

    @Override
    public List<InetSocketAddress> forAsker(InetAddress asker) {
        Object version = version();
        Snapshot current = snapshot;
        if (!Objects.equals(current.version(), version)) {
            current = new Snapshot(version, version == null ? List.of() : ResolvConf.nameservers(file));
            snapshot = current;
        }
        return current.servers();
    }

    /** What tells one version of the file from the next; null when it is missing. */
    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }
}
