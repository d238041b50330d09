package dev.berth.registry.cli;

import dev.berth.image.tls.TlsContexts;
import dev.berth.registry.auth.AuthOptions;
import dev.berth.registry.auth.RegistryAuth;
import dev.berth.registry.auth.RegistryAuths;
import dev.berth.registry.http.RegistryHandler;
import dev.berth.registry.http.RegistryServer;
import dev.berth.registry.http.ServerLimits;
import dev.berth.registry.http.UploadExpiry;
import dev.berth.registry.store.FileRegistryStore;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code berth registry serve}: the distribution API over a {@link FileRegistryStore} until
 * SIGTERM or SIGINT, then a clean stop (no new connections, running requests given a moment,
 * the store closed) and exit 0.
 */
@Command(name = "serve", description = "Serve an OCI distribution registry", 
        usageHelpAutoWidth = true)
final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    @Option(names = "--addr", defaultValue = "127.0.0.1:5000",
            description = "Address to listen on, host:port (default: ${DEFAULT-VALUE}; \":5000\" listens on every address)")
    String addr;

    @Option(names = "--root", defaultValue = "/var/lib/berth-registry", description = "Storage directory (default: ${DEFAULT-VALUE})")
    Path root;

    @Option(names = "--tls-cert", description = "TLS certificate (PEM); serve HTTPS")
    Path tlsCert;

    @Option(names = "--tls-key", description = "TLS private key (PEM)")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "Require client certificates signed by this CA (PEM)")
    Path tlsClientCa;

    @Option(names = "--htpasswd", description = "Users and bcrypt hashes (htpasswd -B); enables authentication")
    Path htpasswd;

    @Option(names = "--auth", defaultValue = "basic", description = "basic or token (default: ${DEFAULT-VALUE})")
    String authMode;

    @Option(names = "--realm", description = "Basic realm, or the token endpoint's URL (default: <this server>/token)")
    String realm;

    @Option(names = "--service", defaultValue = "berth-registry", description = "Service name in challenges and tokens (default: ${DEFAULT-VALUE})")
    String service;

    @Option(names = "--acl", description = "Per-repository permissions file")
    Path acl;

    @Option(names = "--token-key", description = "PEM private key to sign tokens with (default: a new key per start)")
    Path tokenKey;

    @Option(names = "--max-manifest-size", defaultValue = "4MiB", description = "Largest manifest accepted (default: ${DEFAULT-VALUE})")
    String maxManifestSize;

    @Option(names = "--max-blob-size", description = "Largest blob accepted (default: no limit)")
    String maxBlobSize;

    @Option(names = "--upload-expiry", defaultValue = "24h", description = "Remove upload sessions idle this long (default: ${DEFAULT-VALUE})")
    String uploadExpiry;

    @Option(names = {"-l", "--log-level"}, defaultValue = "info", description = "debug, info, warn or error (default: ${DEFAULT-VALUE})")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        ListenAddress listen = ListenAddress.parse(addr);
        ServerLimits limits = new ServerLimits(Quantities.size(maxManifestSize),
                maxBlobSize == null ? Long.MAX_VALUE : Quantities.size(maxBlobSize));
        Duration expiry = Quantities.duration(uploadExpiry);
        if (!authMode.equals("basic") && !authMode.equals("token")) {
            throw new IllegalArgumentException("invalid --auth \"" + authMode + "\": want basic or token");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
        }
        Logging.configure(logLevel);
        Logger log = LoggerFactory.getLogger(ServeCommand.class);

        boolean tls = tlsCert != null;
        int port = listen.port();
        if (port == 0 && htpasswd != null && authMode.equals("token") && realm == null) {
            port = freePort(listen); // the default realm names the port, so it must be known before the server exists
        }
        String base = (tls ? "https://" : "http://") + listen.urlHost() + ":" + port;
        String effectiveRealm = realm != null ? realm : authMode.equals("token") ? base + "/token" : "berth registry";
        RegistryAuth auth = RegistryAuths.create(new AuthOptions(htpasswd, authMode, effectiveRealm, service, acl, tokenKey,
                Duration.ofMinutes(5)));
        RegistryServer.Tls serverTls = tls
                ? new RegistryServer.Tls(TlsContexts.server(tlsCert, tlsKey, tlsClientCa), tlsClientCa != null)
                : null;

        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        try (FileRegistryStore store = FileRegistryStore.open(root);
                RegistryServer server = new RegistryServer(listen.host(), port, serverTls,
                        new RegistryHandler(store, auth, limits)).start();
                UploadExpiry sweep = UploadExpiry.start(store, expiry)) {
            log.info("berth registry serving {} on {}", root, server.baseUrl());
            stop.await();
            log.info("shutting down");
        }
        return 0;
    }

    private static int freePort(ListenAddress listen) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(listen.host().isEmpty() ? "0.0.0.0" : listen.host(), 0));
            return probe.getLocalPort();
        }
    }
}
