package dev.berth.engine.logs;

import java.time.Instant;

/** One line (or a piece of a long one) a container wrote, with its stream and when it arrived. */
public record LogEntry(Stream stream, byte[] line, Instant time) {
    public enum Stream {
        STDOUT("stdout"), STDERR("stderr");

        private final String word;

        Stream(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public String text() {
        return new String(line, java.nio.charset.StandardCharsets.UTF_8);
    }
}
