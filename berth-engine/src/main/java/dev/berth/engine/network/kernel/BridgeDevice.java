package dev.berth.engine.network.kernel;

import dev.berth.engine.network.NetworkKernel.BridgeSpec;
import dev.berth.engine.network.NetworkKernel.Subnet;
import dev.berth.oci.BerthException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Linux bridge of a network, made before any container joins so that its gateway
 * addresses exist (the embedded DNS server binds them): one {@code ip -batch} call. The CNI
 * bridge plugin later finds the bridge and the same addresses and keeps them.
 */
final class BridgeDevice {
    /** Linux's IFNAMSIZ - 1, and no character ip or iptables would read as syntax. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BridgeDevice() {}

    static String checkName(String bridgeName) {
        if (!NAME.matcher(bridgeName).matches()) {
            throw BerthException.invalid("invalid bridge name " + bridgeName + ": 1 to 15 letters, digits, '_', '.' or '-'");
        }
        return bridgeName;
    }

    static boolean exists(String bridgeName) {
        return Files.exists(Path.of("/sys/class/net", bridgeName));
    }

    /**
     * Creates the bridge if missing (with a fixed MAC derived from its name: a bridge without
     * one takes its lowest port's address and changes it as containers come and go, which
     * leaves stale gateway entries in the containers' ARP caches), gives it each subnet's
     * gateway with the subnet's prefix (IPv6 without duplicate address detection, so the address
     * is usable at once) and brings it up.
     */
    static void ensure(BridgeSpec network) {
        String name = checkName(network.bridgeName());
        StringBuilder batch = new StringBuilder();
        if (exists(name)) {
            if (!Files.exists(Path.of("/sys/class/net", name, "bridge"))) {
                throw BerthException.conflict("device " + name + " exists and is not a bridge");
            }
        } else {
            batch.append("link add name ").append(name).append(" address ").append(macFor(name));
            if (network.mtu() > 0) {
                batch.append(" mtu ").append(network.mtu());
            }
            batch.append(" type bridge\n");
        }
        for (Subnet s : network.subnets()) {
            Cidr subnet = Cidr.parse(s.cidr());
            Cidr gateway = Cidr.parse(s.gateway() + "/" + subnet.prefix());
            if (!subnet.contains(gateway.address())) {
                throw BerthException.invalid("gateway " + s.gateway() + " is not in subnet " + s.cidr());
            }
            batch.append("addr replace ").append(gateway).append(" dev ").append(name);
            batch.append(gateway.ipv4() ? "\n" : " nodad\n");
        }
        batch.append("link set ").append(name).append(" up\n");
        ip(batch.toString(), "setting up bridge " + name);
    }

    /**
     * The device's IPv4 addresses with their prefixes, in the kernel's order (the primary
     * first): one {@code ip -o -4 addr show} when the device exists, no process when it does not
     * (the common case: a daemon with a record of its bridge never asks). {@code ip} rather than
     * reading the kernel directly: /proc lists no IPv4 addresses per device and berth speaks no
     * netlink; this runs once per daemon start at most.
     */
    static List<String> ipv4Addresses(String device) {
        String name = checkName(device);
        if (!exists(name)) {
            return List.of();
        }
        HostCommand.Result r = HostCommand.run(List.of("ip", "-o", "-4", "addr", "show", "dev", name), Map.of(), "", TIMEOUT);
        if (!r.ok()) {
            if (!exists(name)) {
                return List.of(); // gone in between
            }
            throw BerthException.internal("listing the addresses of " + name + ": "
                    + (r.stderr().isEmpty() ? "ip exit status " + r.exit() : r.stderr()));
        }
        return parseIpv4(r.stdout());
    }

    /**
     * The addresses in {@code ip -o -4 addr show} output, one line each:
     * {@code 7: berth0    inet 172.17.0.1/16 brd 172.17.255.255 scope global berth0\ ...}; an
     * address without a prefix (a point-to-point {@code inet A peer B/32}) is a /32.
     */
    static List<String> parseIpv4(String ipOutput) {
        List<String> out = new ArrayList<>();
        for (String line : ipOutput.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    out.add(f[i + 1].contains("/") ? f[i + 1] : f[i + 1] + "/32");
                    break;
                }
            }
        }
        return out;
    }

    /** Deletes the bridge (its veths go with their namespaces or the plugin's DEL); nothing if absent. */
    static void remove(String bridgeName) {
        String name = checkName(bridgeName);
        if (!exists(name)) {
            return;
        }
        HostCommand.Result r = HostCommand.run(List.of("ip", "link", "del", name), Map.of(), "", TIMEOUT);
        if (!r.ok() && exists(name)) {
            throw BerthException.internal("removing bridge " + name + ": " + r.stderr());
        }
    }

    private static void ip(String batch, String what) {
        HostCommand.Result r = HostCommand.run(List.of("ip", "-batch", "-"), Map.of(), batch, TIMEOUT);
        if (!r.ok()) {
            throw BerthException.internal(what + ": " + (r.stderr().isEmpty() ? "ip exit status " + r.exit() : r.stderr()));
        }
    }

    /** A locally administered unicast MAC (02:...) from a hash of the name: the same on every set-up. */
    static String macFor(String bridgeName) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bridgeName.getBytes(StandardCharsets.UTF_8));
            return "02:" + HexFormat.ofDelimiter(":").formatHex(h, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
