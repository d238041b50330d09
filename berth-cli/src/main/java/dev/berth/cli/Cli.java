package dev.berth.cli;

import dev.berth.client.ApiClient;
import dev.berth.client.DaemonHost;
import dev.berth.client.TlsSettings;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * What every command works with: the standard streams, the environment, the clock and the API
 * client built from the global flags. Tests make one with their own streams and a fake daemon.
 */
public final class Cli implements AutoCloseable {
    public final PrintStream out;
    public final PrintStream err;
    public final InputStream in;
    public final Map<String, String> env;
    public final Clock clock;
    public final ZoneId zone;
    private final IntPredicate terminal;
    private GlobalOptions options = new GlobalOptions();
    private ApiClient client;

    /**
     * @param terminal  whether file descriptor 0, 1 or 2 is a terminal
     */
    public Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Clock clock, ZoneId zone,
            IntPredicate terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
        this.zone = zone;
        this.terminal = terminal;
    }

    void options(GlobalOptions options) {
        this.options = options;
    }

    public GlobalOptions options() {
        return options;
    }

    public boolean isTerminal(int fd) {
        return terminal.test(fd);
    }

    /** The daemon address: -H, else DOCKER_HOST, else berthd's default socket. */
    public DaemonHost host() {
        List<String> hosts = options.hosts;
        TlsSettings tls = tls();
        if (hosts != null && hosts.size() > 1) {
            throw new UsageException("Specify only one -H");
        }
        String text = hosts != null && !hosts.isEmpty() ? hosts.getFirst() : env.getOrDefault("DOCKER_HOST", "");
        try {
            return DaemonHost.parse(text.isEmpty() ? DaemonHost.DEFAULT : text, tls != null);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unable to parse docker host `" + text + "`: " + e.getMessage());
        }
    }

    public TlsSettings tls() {
        return TlsSettings.resolve(options.tls, options.tlsVerify, path(options.tlsCaCert), path(options.tlsCert),
                path(options.tlsKey), env);
    }

    private static Path path(String s) {
        return s == null || s.isEmpty() ? null : Path.of(s);
    }

    /** The API client, made on first use. */
    public ApiClient client() {
        if (client == null) {
            client = ApiClient.create(host(), tls(), env.get("DOCKER_API_VERSION"));
        }
        return client;
    }

    /** Replaces the client (tests). */
    public void client(ApiClient replacement) {
        this.client = replacement;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
