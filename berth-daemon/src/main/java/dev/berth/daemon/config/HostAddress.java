package dev.berth.daemon.config;

import dev.berth.oci.BerthException;
import java.nio.file.Path;

/**
 * One {@code -H} listen address: {@code unix:///path} or {@code tcp://host:port}, parsed as
 * dockerd parses them. A bare {@code host:port} is TCP; an empty host is 127.0.0.1 (dockerd uses
 * localhost); a missing port is 2375, or 2376 when TLS is on.
 */
public record HostAddress(Scheme scheme, Path socket, String host, int port) {
    public enum Scheme { UNIX, TCP }

    public static final String DEFAULT_UNIX = "unix:///run/berth/berth.sock";

    public static HostAddress parse(String text, boolean tls) {
        String value = text.trim();
        if (value.isEmpty()) {
            throw invalid(text);
        }
        int sep = value.indexOf("://");
        String scheme = sep < 0 ? "tcp" : value.substring(0, sep);
        String rest = sep < 0 ? value : value.substring(sep + 3);
        return switch (scheme) {
            case "unix" -> unix(rest.isEmpty() ? DEFAULT_UNIX.substring("unix://".length()) : rest, text);
            case "tcp" -> tcp(rest, tls, text);
            case "fd" -> throw BerthException.unsupported("fd:// listeners (systemd socket activation) are not supported: " + text);
            default -> throw invalid(text);
        };
    }

    private static HostAddress unix(String path, String text) {
        if (!path.startsWith("/")) {
            throw BerthException.invalid("Invalid bind address format: " + text + " (the socket path must be absolute)");
        }
        return new HostAddress(Scheme.UNIX, Path.of(path), null, 0);
    }

    private static HostAddress tcp(String rest, boolean tls, String text) {
        int slash = rest.indexOf('/');
        if (slash >= 0 && !rest.substring(slash).equals("/")) {
            throw invalid(text);
        }
        String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid(text);
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(text);
            }
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        int number;
        if (port.isEmpty()) {
            number = tls ? 2376 : 2375;
        } else {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("Invalid bind address format: " + text + " (invalid port)");
            }
            if (number < 0 || number > 65535) {
                throw BerthException.invalid("Invalid bind address format: " + text + " (invalid port)");
            }
        }
        return new HostAddress(Scheme.TCP, null, host, number);
    }

    private static BerthException invalid(String text) {
        return BerthException.invalid("Invalid bind address format: " + text);
    }

    public boolean isUnix() {
        return scheme == Scheme.UNIX;
    }

    /** True for addresses only this machine can reach (no warning for plain HTTP on them). */
    public boolean isLoopback() {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    /** The same address with a TCP port (after binding to port 0 in tests). */
    public HostAddress withPort(int actual) {
        return new HostAddress(scheme, socket, host, actual);
    }

    @Override
    public String toString() {
        return isUnix() ? "unix://" + socket : "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
