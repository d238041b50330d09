package dev.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one request Jetty's HttpClient does not make easily: an HTTP/1.1 POST with
 * {@code Connection: Upgrade} and {@code Upgrade: tcp}, after whose {@code 101} (or a plain
 * {@code 200} from old daemons) the same connection carries raw bytes both ways. A small client
 * written for that purpose over a unix {@link SocketChannel}, a TCP socket or TLS, with the same
 * addresses and certificates as {@link ApiClient}.
 */
final class HijackClient {
    private final DaemonHost host;
    private final TlsSettings tls;
    private final String userAgent;

    HijackClient(DaemonHost host, TlsSettings tls, String userAgent) {
        this.host = host;
        this.tls = tls;
        this.userAgent = userAgent;
    }

    /** The response head: status, headers (lower-case names) and any bytes read past it. */
    record Head(int status, Map<String, String> headers) {}

    /**
     * Sends the request and returns the upgraded stream.
     *
     * @throws DaemonException for an error status, with the daemon's message
     * @throws ConnectException when the daemon cannot be reached
     */
    HijackedStream open(String pathAndQuery, String contentType, byte[] body, ErrorReader errors) {
        Connection connection = connect();
        try {
            byte[] payload = body == null ? new byte[0] : body;
            StringBuilder request = new StringBuilder();
            request.append("POST ").append(pathAndQuery).append(" HTTP/1.1\r\n");
            request.append("Host: ").append(hostHeader()).append("\r\n");
            request.append("User-Agent: ").append(userAgent).append("\r\n");
            if (contentType != null) {
                request.append("Content-Type: ").append(contentType).append("\r\n");
            }
            request.append("Content-Length: ").append(payload.length).append("\r\n");
            request.append("Connection: Upgrade\r\n");
            request.append("Upgrade: tcp\r\n\r\n");
            OutputStream out = connection.output();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            InputStream in = connection.input();
            Head head = readHead(in);
            if (head.status() == 101 || head.status() == 200) {
                connection.contentType = head.headers().get("content-type");
                return connection;
            }
            byte[] errorBody = readBody(in, head.headers());
            connection.close();
            throw errors.error(head.status(), new String(errorBody, StandardCharsets.UTF_8), pathAndQuery);
        } catch (SSLException e) {
            connection.close();
            throw new ConnectException("error during connect: " + host.text() + ": tls: " + e.getMessage(), e);
        } catch (IOException e) {
            connection.close();
            throw new ConnectException("error during connect: " + e.getMessage(), e);
        }
    }

    /** Builds a DaemonException from an error answer (ApiClient's wording). */
    interface ErrorReader {
        DaemonException error(int status, String body, String path);
    }

    private String hostHeader() {
        if (host.isUnix()) {
            return "api.moby.localhost";
        }
        String h = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
        return h + ":" + host.port();
    }

    private Connection connect() {
        try {
            if (host.isUnix()) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(host.socket()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new ChannelConnection(channel);
            }
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host.host(), host.port()), 30_000);
            socket.setTcpNoDelay(true);
            if (tls == null) {
                return new SocketConnection(socket);
            }
            SSLSocket ssl = (SSLSocket) sslContext().getSocketFactory().createSocket(socket, host.host(), host.port(), true);
            if (tls.verify()) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
            }
            ssl.startHandshake();
            return new SocketConnection(ssl);
        } catch (SSLException e) {
            throw new ConnectException("error during connect: " + host.text() + ": tls: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConnectException("Cannot connect to the berth daemon at " + host.text()
                    + ". Is the berth daemon running?", e);
        }
    }

    private SSLContext sslContext() {
        try {
            TrustManager[] trust;
            if (tls.verify()) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(PemFiles.trustStore(tls.caCert()));
                trust = factory.getTrustManagers();
            } else {
                trust = new TrustManager[] {new TrustEveryone()};
            }
            KeyManagerFactory keys = null;
            if (tls.hasClientCert() || tls.verify()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(PemFiles.keyStore(tls.cert(), tls.key()), PemFiles.STORE_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConnectException("error during connect: " + host.text() + ": tls: " + e.getMessage(), e);
        }
    }

    /** --tls without --tlsverify: encrypted, not verified, as the docker CLI does it. */
    private static final class TrustEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Reads the status line and headers one byte at a time, so nothing of the stream is consumed. */
    static Head readHead(InputStream in) throws IOException {
        String status = readLine(in);
        if (status == null) {
            throw new IOException("the daemon closed the connection without an answer");
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response " + quote(status));
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status code " + quote(parts[1]));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return new Head(code, headers);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > 64 * 1024) {
                throw new IOException("HTTP header line too long");
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** An error answer's body: Content-Length, chunked, or up to the end of the connection. */
    static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.strip()));
        }
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    break;
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                readLine(in);
            }
            return body.toByteArray();
        }
        return in.readAllBytes();
    }

    /** A connection with the upgraded stream's two directions. */
    private abstract static class Connection implements HijackedStream {
        String contentType;

        @Override
        public String contentType() {
            return contentType;
        }
    }

    /** A unix socket: SocketChannel has separate read and write locks, so both directions run at once. */
    private static final class ChannelConnection extends Connection {
        private final SocketChannel channel;
        private final InputStream input;
        private final OutputStream output;

        ChannelConnection(SocketChannel channel) {
            this.channel = channel;
            this.input = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    int n = channel.read(ByteBuffer.wrap(b, off, len));
                    return n;
                }
            };
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            };
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void closeWrite() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing: nothing more to say
            }
        }
    }

    /** TCP, plain or TLS. */
    private static final class SocketConnection extends Connection {
        private final Socket socket;

        SocketConnection(Socket socket) {
            this.socket = socket;
        }

        @Override
        public InputStream input() {
            try {
                return socket.getInputStream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public OutputStream output() {
            try {
                return socket.getOutputStream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void closeWrite() throws IOException {
            try {
                socket.shutdownOutput(); // TLS: close_notify, which daemons read as the end of stdin
            } catch (UnsupportedOperationException e) {
                // an old TLS version cannot half-close; stdin then ends with the connection
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing more to say
            }
        }
    }
}
