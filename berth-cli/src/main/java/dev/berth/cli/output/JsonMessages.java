package dev.berth.cli.output;

import dev.berth.oci.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Shows a daemon's JSON message stream (load, import, pull: one JSON object per line) as
 * docker's {@code jsonmessage.DisplayJSONMessagesStream} does. Off a terminal, progress
 * messages are skipped and the rest printed a line each; on a terminal, progress redraws its
 * line. An {@code error} message ends the stream with that message.
 */
public final class JsonMessages {
    /** A message of kind "error" in the stream; its text is what docker prints. */
    public static final class StreamError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StreamError(String message) {
            super(message);
        }
    }

    private JsonMessages() {}

    public static void display(InputStream body, PrintStream out, boolean terminal) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> m = Fields.object(Json.parse(line, "daemon message"));
            show(m, out, terminal);
        }
        out.flush();
    }

    static void show(Map<String, Object> m, PrintStream out, boolean terminal) {
        Map<String, Object> errorDetail = Fields.object(m.get("errorDetail"));
        if (m.get("error") != null || !errorDetail.isEmpty()) {
            String message = errorDetail.get("message") != null ? Fields.string(errorDetail.get("message"))
                    : Fields.string(m.get("error"));
            throw new StreamError(message);
        }
        if (m.containsKey("aux") && m.get("aux") != null) {
            return;
        }
        String stream = Fields.string(m.get("stream"));
        String progress = Fields.string(m.get("progress"));
        boolean hasProgress = m.get("progressDetail") != null && !Fields.object(m.get("progressDetail")).isEmpty();
        String endl = "";
        if (terminal && stream.isEmpty() && hasProgress) {
            out.print("\u001b[2K\r");
            endl = "\r";
        } else if (hasProgress && !progress.isEmpty()) {
            return; // no progress bars off a terminal
        }
        String id = Fields.string(m.get("id"));
        if (!id.isEmpty()) {
            out.print(id + ": ");
        }
        String from = Fields.string(m.get("from"));
        if (!from.isEmpty()) {
            out.print("(from " + from + ") ");
        }
        String status = Fields.string(m.get("status"));
        if (hasProgress && terminal) {
            out.print(status + " " + progress + endl);
        } else if (!progress.isEmpty()) {
            out.print(status + " " + progress + endl);
        } else if (!stream.isEmpty()) {
            out.print(stream + endl);
        } else {
            out.print(status + endl + "\n");
        }
    }
}
