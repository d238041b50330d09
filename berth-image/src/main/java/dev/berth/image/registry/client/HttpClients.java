package dev.berth.image.registry.client;

import dev.berth.image.tls.TlsContexts;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK HTTP clients the registry client talks through, one per TLS setup and shared by every
 * pull and push (each holds its own keep-alive connection pool): the system trust store; or,
 * for an endpoint with a certs.d directory ({@code <certs.d>/<host:port>/*.crt} extra CAs,
 * {@code *.cert} + {@code *.key} a client certificate, as dockerd reads them), a context of its
 * own; or, for an insecure registry over TLS, no verification at all. HTTP/1.1 only: registries
 * serve blobs as long single responses, which HTTP/2's flow control only slows down.
 */
public final class HttpClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The JDK client reads, and hands on through its flow machinery, 16 KiB at a time by
     * default, and sends a streamed body in pieces of that size. Layers are hundreds of MiB: at
     * 256 KiB berthd's CPU for pulling 200 MiB went from ~1.0 s to ~0.75 s here (its selector
     * thread 300 → 130 ms) and the pull from ~1.0 s to ~0.75 s. The JDK reads the property once,
     * when its HTTP client first initializes, so it is set here, before any client is built,
     * unless the operator chose a size.
     */
    static final int BUFFER_SIZE = 256 * 1024;

    static {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(BUFFER_SIZE));
        }
    }

    private final Path certsDirectory;
    private final ConcurrentHashMap<String, HttpClient> clients = new ConcurrentHashMap<>();

    public HttpClients(Path certsDirectory) {
        this.certsDirectory = certsDirectory;
    }

    /** The client for {@code endpoint}. */
    public HttpClient forEndpoint(RegistryEndpoint endpoint) {
        if (!endpoint.isTls()) {
            return clients.computeIfAbsent("plain", k -> build(null));
        }
        Path dir = certsDirectory == null ? null : certsDirectory.resolve(endpoint.hostPort());
        boolean hasCertsDir = dir != null && Files.isDirectory(dir);
        if (endpoint.skipVerify()) {
            String key = "insecure:" + (hasCertsDir ? endpoint.hostPort() : "");
            return clients.computeIfAbsent(key, k -> build(context(hasCertsDir ? dir : null, true)));
        }
        if (hasCertsDir) {
            return clients.computeIfAbsent("certs:" + endpoint.hostPort(), k -> build(context(dir, false)));
        }
        return clients.computeIfAbsent("system", k -> build(null));
    }

    private static HttpClient build(SSLContext context) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER) // followed by hand, dropping credentials off-host
                .connectTimeout(CONNECT_TIMEOUT);
        if (context != null) {
            b.sslContext(context);
        }
        return b.build();
    }

    private static SSLContext context(Path dir, boolean skipVerify) {
        try {
            KeyManager[] keys = dir == null ? null : clientKeys(dir);
            TrustManager[] trust = skipVerify ? new TrustManager[] {new TrustEverything()} : trustWith(dir);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw BerthException.invalid("could not load the TLS files in " + dir + ": " + e.getMessage());
        }
    }

    // The system CAs plus every *.crt of the directory, as dockerd's ReadCertsDirectory.
    private static TrustManager[] trustWith(Path dir) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        int n = 0;
        for (TrustManager tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    store.setCertificateEntry("system-" + n++, c);
                }
            }
        }
        for (Path crt : files(dir, ".crt")) {
            KeyStore extra = TlsContexts.trustStore(crt);
            for (String alias : java.util.Collections.list(extra.aliases())) {
                store.setCertificateEntry("certs.d-" + n++, extra.getCertificate(alias));
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    // The first foo.cert with its foo.key; dockerd refuses a .cert without its .key, so do we.
    private static KeyManager[] clientKeys(Path dir) throws GeneralSecurityException, IOException {
        for (Path cert : files(dir, ".cert")) {
            String base = cert.getFileName().toString();
            Path key = dir.resolve(base.substring(0, base.length() - ".cert".length()) + ".key");
            if (!Files.exists(key)) {
                throw BerthException.invalid("missing key " + key.getFileName() + " for client certificate " + base
                        + ". CA certificates must use the extension .crt");
            }
            return TlsContexts.keyManagers(cert, key);
        }
        return null;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + suffix)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** dockerd's InsecureSkipVerify: no chain and no host name check, for insecure registries only. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }
    }
}
