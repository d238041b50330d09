package dev.berth.cli.output;

import dev.berth.oci.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows a daemon's JSON message stream (pull, push, load, import: one JSON object per line) as
 * docker's {@code jsonmessage.DisplayJSONMessagesStream} does. On a terminal each id (a layer)
 * keeps its own line, redrawn in place: a new id opens a line at the bottom, an update moves the
 * cursor up to its line and back down; a message without an id forgets those lines. Bars are
 * drawn from {@code progressDetail} ({@link JsonProgress}). Off a terminal, messages with a
 * non-empty progress are skipped and the rest printed a line each ("abc: Pull complete"). An
 * error message ends the stream with its text.
 */
public final class JsonMessages {
    /** Terminal width docker assumes when it cannot ask the terminal. */
    public static final int DEFAULT_WIDTH = 200;

    /** A message of kind "error" in the stream; its text is what docker prints. */
    public static final class StreamError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StreamError(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final Clock clock;
    /** id → the line it was given, counted from the first line of this group of progress lines. */
    private final Map<String, Integer> lines = new HashMap<>();

    private JsonMessages(PrintStream out, boolean terminal, int width, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.clock = clock;
    }

    public static void display(InputStream body, PrintStream out, boolean terminal) throws IOException {
        display(body, out, terminal, DEFAULT_WIDTH, Clock.systemUTC());
    }

    /**
     * @param width  the terminal's columns (the bar needs more than 110)
     * @param clock  for the time left, from the message's {@code start}
     */
    public static void display(InputStream body, PrintStream out, boolean terminal, int width, Clock clock)
            throws IOException {
        JsonMessages display = new JsonMessages(out, terminal, width, clock);
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                display.accept(Fields.object(Json.parse(line, "daemon message")));
            }
        } finally {
            out.flush();
        }
    }

    private void accept(Map<String, Object> m) {
        if (m.get("aux") != null) {
            return; // docker hands aux to a callback; pull and push print nothing for it
        }
        JsonProgress progress = m.get("progressDetail") instanceof Map<?, ?> ? JsonProgress.of(Fields.object(
                m.get("progressDetail"))) : null;
        String progressMessage = Fields.string(m.get("progress"));
        String id = Fields.string(m.get("id"));
        int diff = 0;
        if (!id.isEmpty() && (progress != null || !progressMessage.isEmpty())) {
            Integer line = lines.get(id);
            if (line == null) {
                line = lines.size();
                lines.put(id, line);
                if (terminal) {
                    out.print("\n");
                }
            }
            diff = lines.size() - line;
            if (terminal && diff > 0) {
                out.print("\u001b[" + diff + "A");
            }
        } else {
            // anything else (a new tag with pull -a, the digest) starts afresh below it
            lines.clear();
        }
        show(m, progress, progressMessage, id);
        if (!id.isEmpty() && terminal && diff > 0) {
            out.print("\u001b[" + diff + "B");
        }
    }

    private void show(Map<String, Object> m, JsonProgress progress, String progressMessage, String id) {
        Map<String, Object> errorDetail = Fields.object(m.get("errorDetail"));
        if (m.get("error") != null || !errorDetail.isEmpty()) {
            if (Fields.number(errorDetail.get("code")) == 401) {
                throw new StreamError("authentication is required");
            }
            String message = errorDetail.get("message") != null ? Fields.string(errorDetail.get("message"))
                    : Fields.string(m.get("error"));
            throw new StreamError(message);
        }
        String stream = Fields.string(m.get("stream"));
        String bar = progress == null ? "" : progress.render(width, clock.instant());
        String endl = "";
        if (terminal && stream.isEmpty() && progress != null) {
            out.print("\u001b[2K\r"); // docker 28 clears and returns once (20.10 wrote a second \r)
            endl = "\r";
        } else if (progress != null && !bar.isEmpty()) {
            return; // no progress bars off a terminal
        }
        if (!id.isEmpty()) {
            out.print(id + ": ");
        }
        String from = Fields.string(m.get("from"));
        if (!from.isEmpty()) {
            out.print("(from " + from + ") ");
        }
        String status = Fields.string(m.get("status"));
        if (progress != null && terminal) {
            out.print(status + " " + bar + endl);
        } else if (!progressMessage.isEmpty()) {
            out.print(status + " " + progressMessage + endl);
        } else if (!stream.isEmpty()) {
            out.print(stream + endl);
        } else {
            out.print(status + endl + "\n");
        }
    }
}
