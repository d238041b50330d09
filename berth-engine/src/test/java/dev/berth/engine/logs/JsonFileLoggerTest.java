package dev.berth.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileLoggerTest {
    @TempDir
    Path tmp;

    private static LogEntry out(String s) {
        return new LogEntry(LogEntry.Stream.STDOUT, s.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-26T09:00:00.1234Z"));
    }

    @Test
    void docker_json_file_format() {
        assertThat(new String(JsonFileLogger.format(out("hi <b> & \"q\"\n")), StandardCharsets.UTF_8))
                .isEqualTo("{\"log\":\"hi \\u003cb\\u003e \\u0026 \\\"q\\\"\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T09:00:00.1234Z\"}\n");
        LogEntry bad = new LogEntry(LogEntry.Stream.STDERR, new byte[] {'a', (byte) 0xff, '\n'}, Instant.EPOCH.plusSeconds(1));
        assertThat(new String(JsonFileLogger.format(bad), StandardCharsets.UTF_8))
                .isEqualTo("{\"log\":\"a\\ufffd\\n\",\"stream\":\"stderr\",\"time\":\"1970-01-01T00:00:01Z\"}\n");
    }

    /** The line dockerd 20.10 wrote for printf 'a\tb\bc\fd\re<>&\\"\001\177\342\200\250x\377y\303\251\n'. */
    @Test
    void escapesAsDockerdsJsonFileDoes() {
        byte[] printed = {'a', '\t', 'b', '\b', 'c', '\f', 'd', '\r', 'e', '<', '>', '&', '\\', '"', 1, 0x7f,
            (byte) 0xe2, (byte) 0x80, (byte) 0xa8, 'x', (byte) 0xff, 'y', (byte) 0xc3, (byte) 0xa9, '\n'};
        LogEntry e = new LogEntry(LogEntry.Stream.STDOUT, printed, Instant.parse("2026-11-26T13:46:25.258094527Z"));
        assertThat(new String(JsonFileLogger.format(e), StandardCharsets.UTF_8)).isEqualTo(
                "{\"log\":\"a\\u0009b\\u0008c\\u000cd\\re\\u003c\\u003e\\u0026\\\\\\\"\\u0001\u007f\\u2028x\\ufffdy\u00e9\\n\","
                + "\"stream\":\"stdout\",\"time\":\"2026-11-26T13:46:25.258094527Z\"}\n");
        assertThat(LogReader.parse(new String(JsonFileLogger.format(e), StandardCharsets.UTF_8).strip(), "t"))
                .get().extracting(LogEntry::text).isEqualTo("a\tb\bc\fd\re<>&\\\"\u0001\u007f\u2028x\ufffdy\u00e9\n");
    }

    @Test
    void truncatedAndOverlongUtf8AreReplacedBytewise() {
        byte[] bad = {(byte) 0xc3, (byte) 0xc0, (byte) 0x80, (byte) 0xed, (byte) 0xa0, (byte) 0x80, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, (byte) 0xe2, (byte) 0x82};
        LogEntry e = new LogEntry(LogEntry.Stream.STDOUT, bad, Instant.parse("2026-11-26T13:46:25Z"));
        // c3 then c0 (never valid), a lone continuation, a surrogate (ed a0 80), a 4-byte emoji kept, a cut-off 3-byte sequence
        assertThat(new String(JsonFileLogger.format(e), StandardCharsets.UTF_8)).startsWith(
                "{\"log\":\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\ud83d\ude00\\ufffd\\ufffd\",");
    }

    @Test
    void linesReadBackAsWrittenThroughTheFastParserAndOtherShapesThroughJson() throws Exception {
        Path file = tmp.resolve("r-json.log");
        Instant t = Instant.parse("2026-11-26T13:46:25.258094527Z");
        List<byte[]> lines = List.of(
                "plain\n".getBytes(StandardCharsets.UTF_8),
                "tab\tquote\"back\\slash <&> \u2028 \u00e9 \ud83d\ude00 bell\u0007 del\u007f\r\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xc3},
                new byte[0],
                "x".repeat(70_000).getBytes(StandardCharsets.UTF_8)); // longer than the reader's buffer
        try (JsonFileLogger logger = new JsonFileLogger(file, new LogOptions(-1, 1))) {
            for (byte[] l : lines) {
                logger.log(new LogEntry(LogEntry.Stream.STDERR, l, t));
            }
        }
        // lines another writer (dockerd, with attrs; keys in another order) left are read too
        Files.writeString(file, "{\"log\":\"from docker\\n\",\"stream\":\"stdout\",\"attrs\":{\"a\":\"b\"},\"time\":\"2026-11-26T13:46:26Z\"}\n"
                + "{\"time\":\"2026-11-26T13:46:27.5Z\",\"stream\":\"stdout\",\"log\":\"reordered\\n\"}\n"
                + "{\"log\":\"lone \\ud83d half\",\"stream\":\"stdout\",\"time\":\"2026-11-26T13:46:28Z\"}\n"
                + "{\"log\":\"torn", java.nio.file.StandardOpenOption.APPEND);
        List<LogEntry> back = LogReader.readAll(file);
        assertThat(back).hasSize(lines.size() + 3);
        for (int i = 0; i < lines.size(); i++) {
            LogEntry e = back.get(i);
            assertThat(e.stream()).isEqualTo(LogEntry.Stream.STDERR);
            assertThat(e.time()).isEqualTo(t);
            byte[] expected = i == 2 ? "bad\ufffd\ufffd".getBytes(StandardCharsets.UTF_8) : lines.get(i);
            assertThat(e.line()).as("line " + i).isEqualTo(expected);
        }
        assertThat(back.subList(lines.size(), back.size())).extracting(LogEntry::text)
                .containsExactly("from docker\n", "reordered\n", "lone \ufffd half");
        assertThat(back.get(lines.size() + 1).time()).isEqualTo(Instant.parse("2026-11-26T13:46:27.5Z"));
        // forEach hands them over one by one and tells the last time
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        assertThat(LogReader.forEach(file, e -> n.incrementAndGet())).isEqualTo(Instant.parse("2026-11-26T13:46:28Z"));
        assertThat(n).hasValue(back.size());
        assertThat(LogReader.forEach(tmp.resolve("none-json.log"), e -> n.incrementAndGet())).isEqualTo(Instant.MIN);
    }

    @Test
    void tailReadsBackwardsAcrossChunksAndRotatedFiles() throws Exception {
        Path file = tmp.resolve("t-json.log");
        Instant t0 = Instant.parse("2026-11-26T09:00:00Z");
        int count = 5000; // about 400 KiB: several 64 KiB chunks, lines cut at chunk edges
        try (JsonFileLogger logger = new JsonFileLogger(file, new LogOptions(150_000, 5))) {
            for (int i = 0; i < count; i++) {
                LogEntry.Stream stream = i % 3 == 0 ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT;
                logger.append(new LogEntry(stream, ("line " + i + "\n").getBytes(StandardCharsets.UTF_8), t0.plusMillis(i)));
                if (i == 4000) {
                    logger.append(new LogEntry(LogEntry.Stream.STDOUT, "y".repeat(100_000).getBytes(StandardCharsets.UTF_8), t0.plusMillis(i)));
                }
                logger.flush();
            }
        }
        assertThat(JsonFileLogger.files(file)).hasSizeGreaterThan(2);
        Files.writeString(file, "{\"log\":\"torn", java.nio.file.StandardOpenOption.APPEND);
        List<LogEntry> all = LogReader.readAll(file);
        java.util.function.Predicate<LogEntry> stdout = e -> e.stream() == LogEntry.Stream.STDOUT;
        for (int n : new int[] {0, 1, 7, 700, 1500, all.size() + 10}) {
            List<LogEntry> expected = all.stream().filter(stdout).toList();
            expected = expected.subList(Math.max(0, expected.size() - n), expected.size());
            LogReader.Tail tail = LogReader.tail(file, n, stdout);
            assertThat(tail.entries()).as("tail " + n).extracting(LogEntry::text).containsExactlyElementsOf(
                    expected.stream().map(LogEntry::text).toList());
            assertThat(tail.last()).isEqualTo(all.getLast().time());
        }
        assertThat(LogReader.tail(tmp.resolve("none-json.log"), 3, e -> true)).isEqualTo(new LogReader.Tail(List.of(), Instant.MIN));
    }

    @Test
    void rotatesAtMaxSizeKeepingMaxFiles() throws Exception {
        Path file = tmp.resolve("c-json.log");
        int lineSize = JsonFileLogger.format(out("0123456789\n")).length;
        try (JsonFileLogger logger = new JsonFileLogger(file, new LogOptions(lineSize * 2L, 3))) {
            for (int i = 0; i < 9; i++) {
                logger.log(out("0123456789\n"));
            }
        }
        assertThat(JsonFileLogger.files(file)).containsExactly(
                tmp.resolve("c-json.log.2"), tmp.resolve("c-json.log.1"), file);
        for (Path p : JsonFileLogger.files(file)) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(lineSize * 2L);
        }
        assertThat(LogReader.readAll(file)).hasSize(5);
    }

    @Test
    void appendedLinesReachTheFileAtFlushAndRotateInOrder() throws Exception {
        Path file = tmp.resolve("b-json.log");
        int lineSize = JsonFileLogger.format(out("0123456789\n")).length;
        try (JsonFileLogger logger = new JsonFileLogger(file, new LogOptions(lineSize * 4L, 2))) {
            logger.append(out("0123456789\n"));
            logger.append(out("0123456789\n"));
            assertThat(Files.size(file)).as("gathered, not written").isZero();
            logger.flush();
            assertThat(Files.readAllLines(file)).hasSize(2);
            for (int i = 0; i < 5; i++) { // 7 lines in all: the sixth rotates
                logger.append(out(i + "123456789\n"));
            }
        } // close writes what is still gathered
        assertThat(JsonFileLogger.files(file)).containsExactly(tmp.resolve("b-json.log.1"), file);
        assertThat(Files.readAllLines(tmp.resolve("b-json.log.1"))).hasSize(4);
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(LogReader.readAll(file)).hasSize(7) // the rotated file and the current one, in order
                .last().satisfies(e -> assertThat(new String(e.line(), StandardCharsets.UTF_8)).isEqualTo("4123456789\n"));
    }

    @Test
    void optionsInDockerUnits() {
        assertThat(LogOptions.from(Map.of(), LogOptions.DEFAULT)).isEqualTo(new LogOptions(10L << 20, 3));
        assertThat(LogOptions.from(Map.of("max-size", "1k", "max-file", "5"), LogOptions.DEFAULT)).isEqualTo(new LogOptions(1024, 5));
        assertThat(LogOptions.parseSize("10m")).isEqualTo(10L << 20);
        assertThat(LogOptions.parseSize("1.5g")).isEqualTo(3L << 29);
        assertThat(LogOptions.parseSize("100")).isEqualTo(100);
        assertThatThrownBy(() -> LogOptions.parseSize("lots")).hasMessage("invalid size: 'lots'");
        assertThatThrownBy(() -> LogOptions.from(Map.of("max-file", "0"), LogOptions.DEFAULT)).hasMessage("max-file cannot be less than 1");
    }

    @Test
    void readsBackWithSinceUntilStreamsAndTail() {
        Path file = tmp.resolve("c-json.log");
        Instant t0 = Instant.parse("2026-11-26T09:00:00Z");
        try (JsonFileLogger logger = new JsonFileLogger(file, LogOptions.DEFAULT)) {
            for (int i = 0; i < 6; i++) {
                LogEntry.Stream stream = i % 2 == 0 ? LogEntry.Stream.STDOUT : LogEntry.Stream.STDERR;
                logger.log(new LogEntry(stream, ("l" + i + "\n").getBytes(StandardCharsets.UTF_8), t0.plusSeconds(i)));
            }
        }
        java.util.Optional<Instant> none = java.util.Optional.empty();
        assertThat(LogReader.read(file, none, none, true, true, -1)).hasSize(6);
        assertThat(LogReader.read(file, none, none, true, false, -1)).extracting(LogEntry::text).containsExactly("l0\n", "l2\n", "l4\n");
        assertThat(LogReader.read(file, none, none, true, true, 2)).extracting(LogEntry::text).containsExactly("l4\n", "l5\n");
        assertThat(LogReader.read(file, java.util.Optional.of(t0.plusSeconds(2)), java.util.Optional.of(t0.plusSeconds(4)), true, true, -1))
                .extracting(LogEntry::text).containsExactly("l2\n", "l3\n");
        assertThat(LogReader.read(file, none, none, true, true, 0)).isEmpty();
    }
}
