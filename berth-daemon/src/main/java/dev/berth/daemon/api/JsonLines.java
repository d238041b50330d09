package dev.berth.daemon.api;

import dev.berth.oci.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streamed response of JSON documents, one per line, each flushed as it is written (events,
 * load and import progress).
 */
public final class JsonLines implements AutoCloseable {
    private final OutputStream out;

    JsonLines(OutputStream out) {
        this.out = out;
    }

    public void write(Object tree) throws IOException {
        out.write((Json.write(tree) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
