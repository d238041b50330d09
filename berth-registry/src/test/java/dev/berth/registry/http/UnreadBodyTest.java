package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.RegistryAuth;
import dev.berth.registry.store.FileRegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error answered before the request's body has arrived: Jetty closes such a connection once
 * the answer is out, so the answer must say {@code Connection: close}, or a client that keeps
 * connections (the JDK's, docker's) sends its next request into a closed socket.
 */
class UnreadBodyTest {
    @TempDir
    Path dir;
    TestRegistry registry;

    @BeforeEach
    void start() {
        registry = new TestRegistry(FileRegistryStore.open(dir.resolve("root")), RegistryAuth.open(), ServerLimits.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void anErrorBeforeTheBodyArrivedClosesTheConnectionAndSaysSo() throws IOException {
        // no digest: refused from the head alone; the two body bytes are never sent
        String head = answerToFinishingPut("");
        assertThat(head).startsWith("HTTP/1.1 400 ");
        assertThat(head.toLowerCase()).contains("\r\nconnection: close\r\n");
    }

    @Test
    void anErrorAfterTheWholeBodyKeepsTheConnection() throws IOException {
        String head = answerToFinishingPut("ab");
        assertThat(head).startsWith("HTTP/1.1 400 ");
        assertThat(head.toLowerCase()).doesNotContain("connection: close");
    }

    /** The head of the answer to a PUT that finishes an upload without a digest, announcing two body bytes and sending {@code body}. */
    private String answerToFinishingPut(String body) throws IOException {
        String location = registry.send("POST", "/v2/x/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        URI base = URI.create(registry.url("/"));
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + URI.create(location).getRawPath() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readHead(socket.getInputStream());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
