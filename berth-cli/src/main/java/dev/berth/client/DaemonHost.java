package dev.berth.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the daemon listens, written as docker writes it: {@code unix:///run/berth/berth.sock},
 * {@code tcp://127.0.0.1:2376}. A bare {@code host:port} is TCP, as in the docker CLI.
 *
 * @param text    the address as given (errors and "Cannot connect" messages quote it)
 * @param socket  the unix socket, or null for TCP
 * @param host    the TCP host, or null for a unix socket
 * @param port    the TCP port, or 0 for a unix socket
 */
public record DaemonHost(String text, Path socket, String host, int port) {
    /**
     * berthd's default socket. The docker CLI defaults to /var/run/docker.sock; berth talks to
     * berthd unless told otherwise (DOCKER_HOST or -H).
     */
    public static final String DEFAULT = "unix:///run/berth/berth.sock";

    public DaemonHost {
        if ((socket == null) == (host == null)) {
            throw new IllegalArgumentException("a daemon host is either a unix socket or a TCP address");
        }
    }

    public boolean isUnix() {
        return socket != null;
    }

    /**
     * Parses an address; {@code tls} picks the default TCP port (2376 with TLS, 2375 without),
     * as the docker CLI does.
     *
     * @throws IllegalArgumentException with docker's wording for a bad address
     */
    public static DaemonHost parse(String text, boolean tls) {
        String value = text.strip();
        if (value.isEmpty()) {
            return parse(DEFAULT, tls);
        }
        int sep = value.indexOf("://");
        String scheme = sep < 0 ? "tcp" : value.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = sep < 0 ? value : value.substring(sep + 3);
        switch (scheme) {
            case "unix" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("invalid bind address format: " + text);
                }
                return new DaemonHost(value, Path.of(rest), null, 0);
            }
            case "tcp", "http", "https" -> {
                return tcp(value, rest, tls || scheme.equals("https"));
            }
            case "ssh" -> throw new IllegalArgumentException("ssh:// hosts are not supported by berth: " + text);
            default -> throw new IllegalArgumentException("Invalid bind address format: " + text);
        }
    }

    private static DaemonHost tcp(String text, String rest, boolean tls) {
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        String host;
        int port = tls ? 2376 : 2375;
        URI uri;
        try {
            uri = URI.create("tcp://" + (rest.isEmpty() ? "127.0.0.1" : rest));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid bind address format: " + text);
        }
        host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("invalid bind address format: " + text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (uri.getPort() > 0) {
            port = uri.getPort();
        } else if (rest.endsWith(":")) {
            throw new IllegalArgumentException("invalid bind address format: " + text);
        }
        return new DaemonHost(text, null, host, port);
    }

    /** The base URI for requests: the scheme and authority (a fixed name for unix sockets). */
    public String baseUri(boolean tls) {
        if (isUnix()) {
            // the docker CLI sends Host: api.moby.localhost on a unix socket; any name will do
            return "http://api.moby.localhost";
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + h + ":" + port;
    }

    @Override
    public String toString() {
        return text;
    }
}
