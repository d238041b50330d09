package dev.berth.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a unix socket for tests that must see the wire:
 * exact headers, chunked bodies, and what follows a 101.
 */
public final class RawHttp implements AutoCloseable {
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = Channels.newInputStream(channel);
        out = Channels.newOutputStream(channel);
    }

    public static Response call(Path socket, String method, String path) throws IOException {
        try (RawHttp http = new RawHttp(socket)) {
            return http.exchange(method, path, Map.of(), null);
        }
    }

    public static Response call(Path socket, String method, String path, String contentType, byte[] body) throws IOException {
        try (RawHttp http = new RawHttp(socket)) {
            return http.exchange(method, path, contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
        }
    }

    public Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        send(method, path, headers, body);
        return readResponse(method.equals("HEAD"));
    }

    public void send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: docker\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        // one write for head and body: a server that answers from the head alone (a 404) and
        // closes would otherwise make a separate body write fail with a broken pipe
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = java.util.Arrays.copyOf(h, h.length + (body == null ? 0 : body.length));
        if (body != null) {
            System.arraycopy(body, 0, whole, h.length, body.length);
        }
        out.write(whole);
        out.flush();
    }

    /** Reads a status line and headers; the body is read per Content-Length or chunked, or not at all for 101/HEAD. */
    public Response readResponse(boolean head) throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        byte[] body = new byte[0];
        if (code != 101 && code != 204 && !head) {
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked();
            }
        }
        return new Response(code, headers, body);
    }

    /** Reads one chunk of a chunked body (null at the end): lets a test see a stream as it arrives. */
    public byte[] nextChunk() throws IOException {
        // the CRLF that ends a chunk's data may come only with the next chunk (Jetty writes it as
        // the next chunk's prefix), so it is skipped here, before the size line, not after the data
        String sizeLine = line();
        if (sizeLine.isEmpty()) {
            sizeLine = line();
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            line();
            return null;
        }
        return in.readNBytes(size);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] chunk = nextChunk(); chunk != null; chunk = nextChunk()) {
            all.write(chunk);
        }
        return all.toByteArray();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        if (c == -1 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
