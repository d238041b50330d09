package dev.berth.registry.cli;

/**
 * The {@code --addr} of {@code berth registry serve}: {@code host:port}, {@code [v6]:port}, or
 * {@code :port} for every address. Only what is written is bound: the default is loopback, and
 * listening beyond it must be asked for.
 *
 * @param host the address to bind, or "" for every address
 */
record ListenAddress(String host, int port) {

    static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("invalid --addr \"" + text + "\": want host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("invalid --addr \"" + text + "\": write an IPv6 address in brackets");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --addr \"" + text + "\": bad port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid --addr \"" + text + "\": port out of range");
        }
        return new ListenAddress(host, port);
    }

    /** How clients write this address in a URL (every address → 127.0.0.1 for local use). */
    String urlHost() {
        if (host.isEmpty() || host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (host.equals("::")) {
            return "[::1]";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
