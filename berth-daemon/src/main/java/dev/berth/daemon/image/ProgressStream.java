package dev.berth.daemon.image;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.JsonLines;
import dev.berth.image.registry.ProgressSink;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pull's or push's progress as dockerd's JSON message stream. The response starts with the
 * first message, so that a failure before it (an unknown tag, a refused login) is still a plain
 * HTTP error, as dockerd answers; a failure after it becomes the stream's last message
 * ({@code errorDetail}). Messages come from several download threads: sending is serialized.
 * A client that hangs up does not stop the transfer (what was fetched is registered all the same).
 * A leading "Pulling from x" is held back until the next message: dockerd says it only once the
 * manifest resolved, so an unknown tag must still be a plain 404, whoever says it first.
 *
 * <p>dockerd writes two shapes: per-layer actions (progress.Update) always carry
 * {@code progressDetail}, empty when there is no count; plain messages (progress.Message: "Pulling
 * from x", "Digest: …", "Status: …", "The push refers to …") carry only status and id.
 */
public final class ProgressStream implements ProgressSink {
    /** Layer ids in dockerd's messages: 12 hex digits of the digest. */
    private static final Pattern LAYER_ID = Pattern.compile("[0-9a-f]{12}");

    private final ApiCall call;
    private JsonLines out;
    private boolean clientGone;
    private Progress held;

    public ProgressStream(ApiCall call) {
        this.call = call;
    }

    @Override
    public synchronized void send(Progress p) {
        if (out == null && !clientGone && held == null && p.status().startsWith("Pulling from ")) {
            held = p;
            return;
        }
        flushHeld();
        write(wire(p));
    }

    /** The wire form of one message, in dockerd's key order (status, progressDetail, progress, id). */
    public static Map<String, Object> wire(Progress p) {
        JsonObjectBuilder m = JsonObjectBuilder.create().omitEmpty("status", p.status());
        boolean counted = p.current() >= 0 || p.total() >= 0;
        if (counted || isLayerAction(p)) {
            JsonObjectBuilder detail = JsonObjectBuilder.create();
            if (p.current() > 0) {
                detail.put("current", p.current());
            }
            if (p.total() > 0) {
                detail.put("total", p.total());
            }
            m.put("progressDetail", detail.build());
            m.omitEmpty("progress", ProgressBar.of(p.current(), p.total()));
        }
        return m.omitEmpty("id", p.id()).build();
    }

    private static boolean isLayerAction(Progress p) {
        return LAYER_ID.matcher(p.id()).matches() && !p.status().startsWith("Pulling from ");
    }

    /** dockerd's aux message after a pushed tag: {@code {"progressDetail":{},"aux":{"Tag","Digest","Size"}}}. */
    public synchronized void aux(Map<String, Object> aux) {
        flushHeld();
        write(JsonObjectBuilder.create().put("progressDetail", Map.of()).put("aux", aux).build());
    }

    /** The stream's last message after a failure: {@code {"errorDetail":{"message"},"error"}}. */
    public synchronized void error(String message) {
        write(JsonObjectBuilder.create().put("errorDetail", Map.of("message", message)).put("error", message).build());
    }

    /** True once the 200 went out: from then on failures are messages, not statuses. */
    public synchronized boolean started() {
        return out != null || clientGone;
    }

    /** Ends the response; one with no message at all is an empty 200 stream. */
    public synchronized void finish() {
        flushHeld();
        try {
            if (out == null && !clientGone) {
                out = call.streamJson();
            }
            if (out != null && !clientGone) {
                out.close();
            }
        } catch (IOException e) {
            clientGone = true;
        }
    }

    private void flushHeld() {
        if (held != null) {
            Progress first = held;
            held = null;
            write(wire(first));
        }
    }

    private void write(Map<String, Object> message) {
        if (clientGone) {
            return;
        }
        try {
            if (out == null) {
                out = call.streamJson();
            }
            out.write(message);
        } catch (IOException e) {
            clientGone = true;
        }
    }
}
