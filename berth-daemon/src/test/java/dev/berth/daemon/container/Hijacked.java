package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** A test client's hijacked connection: the 101, then docker's frames (or raw bytes) and our input. */
final class Hijacked implements AutoCloseable {
    final RawHttp http;
    final RawHttp.Response response;

    /** What came on stdout and stderr, demultiplexed. */
    record Streams(String stdout, String stderr) {}

    private Hijacked(RawHttp http, RawHttp.Response response) {
        this.http = http;
        this.response = response;
    }

    static Hijacked open(Path socket, String path, String jsonBody) throws IOException {
        RawHttp http = new RawHttp(socket);
        Map<String, String> headers = jsonBody == null
                ? Map.of("Connection", "Upgrade", "Upgrade", "tcp")
                : Map.of("Connection", "Upgrade", "Upgrade", "tcp", "Content-Type", "application/json");
        http.send("POST", path, headers, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
        RawHttp.Response r = http.readResponse(false);
        assertThat(r.status()).as(r.text()).isEqualTo(101);
        return new Hijacked(http, r);
    }

    void send(String text) throws IOException {
        http.output().write(text.getBytes(StandardCharsets.UTF_8));
        http.output().flush();
    }

    void send(byte... bytes) throws IOException {
        http.output().write(bytes);
        http.output().flush();
    }

    void closeInput() throws IOException {
        http.shutdownOutput();
    }

    /** Frames until the daemon closes the stream. */
    Streams frames() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DataInputStream in = new DataInputStream(http.input());
        byte[] header = new byte[8];
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException end) {
                break;
            }
            assertThat(header[1] | header[2] | header[3]).as("frame header bytes 1-3").isZero();
            int len = (header[4] & 0xff) << 24 | (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | header[7] & 0xff;
            byte[] payload = in.readNBytes(len);
            (header[0] == 2 ? err : out).write(payload);
        }
        return new Streams(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Raw bytes until {@code expected} has been seen (a terminal's output), failing at the end of the stream. */
    String rawUntil(String expected) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = http.input();
        while (!got.toString(StandardCharsets.UTF_8).contains(expected)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("stream ended before \"" + expected + "\"; got \"" + got + "\"");
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** Raw bytes to the end of the stream. */
    String rawRest() throws IOException {
        return new String(http.input().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
