package dev.berth.image.registry.client;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** dockerd's words for a registry that cannot be reached. */
final class Transport {
    private Transport() {
    }

    /** {@code Get "https://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused}, as Go words it. */
    static BerthException unreachable(String method, URI uri, IOException cause) {
        String verb = method.charAt(0) + method.substring(1).toLowerCase(java.util.Locale.ROOT);
        String host = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80);
        String why;
        if (cause instanceof HttpConnectTimeoutException) {
            why = "dial tcp " + host + ": i/o timeout";
        } else if (cause instanceof ConnectException) {
            why = "dial tcp " + host + ": connect: connection refused";
        } else if (cause instanceof HttpTimeoutException) {
            why = "net/http: timeout awaiting response headers";
        } else if (cause instanceof SSLException) {
            // Go: "http: server gave HTTP response to HTTPS client" for a plain HTTP registry
            why = "tls: " + (cause.getMessage() == null ? "handshake failure" : cause.getMessage());
        } else if (cause.getCause() instanceof java.nio.channels.UnresolvedAddressException
                || cause instanceof java.net.UnknownHostException) {
            why = "dial tcp: lookup " + uri.getHost() + ": no such host";
        } else {
            why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        return BerthException.internal(verb + " \"" + TokenFetcher.redacted(uri) + "\": " + why, cause);
    }
}
