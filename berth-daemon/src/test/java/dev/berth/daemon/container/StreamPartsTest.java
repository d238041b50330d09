package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.engine.logs.LogEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stream routes' parts that need no container: frames, detach keys, resize and logs parameters. */
class StreamPartsTest {
    @Test
    void framesHaveDockersHeaderAndATerminalIsRaw() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StdFrames framed = new StdFrames(bytes, true);
        framed.write(new LogEntry(LogEntry.Stream.STDERR, "hi\n".getBytes(StandardCharsets.UTF_8), Instant.EPOCH));
        framed.write(StdFrames.STDOUT, new byte[0], 0, 0);
        assertThat(bytes.toByteArray()).as("nothing before a flush").isEmpty();
        framed.write(new LogEntry(LogEntry.Stream.STDERR, "yo\n".getBytes(StandardCharsets.UTF_8), Instant.EPOCH));
        framed.write(new LogEntry(LogEntry.Stream.STDOUT, "o\n".getBytes(StandardCharsets.UTF_8), Instant.EPOCH));
        framed.flush();
        assertThat(bytes.toByteArray()).as("lines of one stream in one frame").containsExactly(
                2, 0, 0, 0, 0, 0, 0, 6, 'h', 'i', '\n', 'y', 'o', '\n', 1, 0, 0, 0, 0, 0, 0, 2, 'o', '\n');
        bytes.reset();
        byte[] big = new byte[StdFrames.MAX_FRAME + 10];
        framed.write(StdFrames.STDOUT, big, 0, big.length);
        framed.flush();
        assertThat(bytes.size()).as("one piece larger than a frame goes whole").isEqualTo(8 + StdFrames.MAX_FRAME + 10);
        bytes.reset();
        framed.write(StdFrames.STDOUT, big, 0, 100);
        framed.write(StdFrames.STDOUT, big, 0, StdFrames.MAX_FRAME);
        framed.flush();
        assertThat(bytes.size()).as("a frame is sent before it would grow past the limit").isEqualTo(8 + 100 + 8 + StdFrames.MAX_FRAME);
        assertThat(StdFrames.header(1, 0x01020304)).containsExactly(1, 0, 0, 0, 1, 2, 3, 4);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        StdFrames rawFrames = new StdFrames(raw, false);
        rawFrames.write(new LogEntry(LogEntry.Stream.STDOUT, "a\r\n".getBytes(StandardCharsets.UTF_8), Instant.EPOCH));
        rawFrames.flush();
        assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo("a\r\n");
        assertThat(StdFrames.contentType(false, ApiVersion.parse("1.47"))).isEqualTo("application/vnd.docker.multiplexed-stream");
        assertThat(StdFrames.contentType(false, ApiVersion.parse("1.41"))).isEqualTo("application/vnd.docker.raw-stream");
        assertThat(StdFrames.contentType(true, ApiVersion.parse("1.47"))).isEqualTo("application/vnd.docker.raw-stream");
    }

    @Test
    void detachKeysParseAsDockersTermToBytes() {
        assertThat(DetachKeys.parse("").orElseThrow()).isEqualTo(DetachKeys.DEFAULT);
        assertThat(DetachKeys.parse("ctrl-p,ctrl-q").orElseThrow().bytes()).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-_,a,DEL").orElseThrow().bytes()).containsExactly(0, 27, 28, 31, 'a', 127);
        assertThat(DetachKeys.parse("ctrl-!")).isEmpty();
        assertThat(DetachKeys.parse("ab")).isEmpty();
        assertThat(DetachKeys.parse("a,")).isEmpty();
        assertThatThrownBy(() -> DetachKeys.forExec("nope")).hasMessage("Invalid escape keys (nope) provided");
        assertThatThrownBy(() -> DetachKeys.forAttach("nope")).hasMessage("Invalid detach keys (nope) provided");
    }

    @Test
    void theScannerHoldsAPossibleSequenceAndPassesItOnWhenItBreaksOff() {
        DetachKeys.Scanner s = DetachKeys.DEFAULT.scanner();
        assertThat(s.feed(bytes('a', 16), 0, 2)).hasValueSatisfying(b -> assertThat(b).containsExactly('a'));
        assertThat(s.feed(bytes('b'), 0, 1)).hasValueSatisfying(b -> assertThat(b).containsExactly(16, 'b'));
        assertThat(s.feed(bytes(16, 16), 0, 2)).hasValueSatisfying(b -> assertThat(b).containsExactly(16));
        assertThat(s.feed(bytes(17, 'x'), 0, 2)).isEmpty();
        DetachKeys.Scanner one = DetachKeys.parse("ctrl-x").orElseThrow().scanner();
        assertThat(one.feed(bytes('a', 24, 'b'), 0, 3)).isEmpty();
    }

    @Test
    void resizeSizesAreGoUnsignedIntegers() {
        assertThat(TerminalSize.parse("40")).isEqualTo(40);
        assertThat(TerminalSize.parse("100000")).as("clamped to a winsize's 16 bits").isEqualTo(65535);
        assertThatThrownBy(() -> TerminalSize.parse("")).hasMessage("strconv.ParseUint: parsing \"\": invalid syntax");
        assertThatThrownBy(() -> TerminalSize.parse("-1")).hasMessage("strconv.ParseUint: parsing \"-1\": invalid syntax");
        assertThatThrownBy(() -> TerminalSize.parse("4294967296")).hasMessageContaining("value out of range");
    }

    @Test
    void logsTimesAndTail() {
        assertThat(LogRoutes.unixTime("")).isEmpty();
        assertThat(LogRoutes.unixTime("0")).isEmpty();
        assertThat(LogRoutes.unixTime("1700000000.000000001")).contains(Instant.ofEpochSecond(1700000000, 1));
        assertThat(LogRoutes.unixTime("1700000000.5")).contains(Instant.ofEpochSecond(1700000000, 500_000_000));
        assertThat(LogRoutes.unixTime("1700000000")).contains(Instant.ofEpochSecond(1700000000));
        assertThatThrownBy(() -> LogRoutes.unixTime("1h")).hasMessage("strconv.ParseInt: parsing \"1h\": invalid syntax");
        assertThatThrownBy(() -> LogRoutes.unixTime("1.x")).hasMessage("strconv.ParseInt: parsing \"x\": invalid syntax");
        assertThat(LogRoutes.tail("all")).isNegative();
        assertThat(LogRoutes.tail("3")).isEqualTo(3);
        LogEntry stamped = LogRoutes.stamped(new LogEntry(LogEntry.Stream.STDOUT, "x\n".getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochSecond(1700000000, 1000)));
        assertThat(stamped.text()).isEqualTo("2023-11-14T22:13:20.000001000Z x\n");
    }

    @Test
    void logsSelectionTakesSinceUntilStreamsThenTheTail() {
        java.util.List<LogEntry> all = java.util.List.of(entry(LogEntry.Stream.STDOUT, "a", 1), entry(LogEntry.Stream.STDERR, "b", 2),
                entry(LogEntry.Stream.STDOUT, "c", 3), entry(LogEntry.Stream.STDOUT, "d", 4));
        assertThat(LogRoutes.select(all, Optional.empty(), Optional.empty(), true, false, 2)).extracting(LogEntry::text)
                .containsExactly("c", "d");
        assertThat(LogRoutes.select(all, Optional.of(Instant.ofEpochSecond(2)), Optional.of(Instant.ofEpochSecond(4)), true, true, -1))
                .extracting(LogEntry::text).containsExactly("b", "c");
        assertThat(LogRoutes.select(all, Optional.empty(), Optional.empty(), true, true, 0)).isEmpty();
    }

    private static LogEntry entry(LogEntry.Stream stream, String text, long second) {
        return new LogEntry(stream, text.getBytes(StandardCharsets.UTF_8), Instant.ofEpochSecond(second));
    }

    @Test
    void aClientThatFallsTooFarBehindIsCutOff() {
        OutputQueue q = OutputQueue.of(true, false);
        byte[] big = new byte[(int) (OutputQueue.MAX_PENDING / 2) + 1];
        q.accept(new LogEntry(LogEntry.Stream.STDOUT, big, Instant.EPOCH));
        assertThat(q.reason()).isEmpty();
        q.accept(new LogEntry(LogEntry.Stream.STDOUT, big, Instant.EPOCH));
        assertThat(q.reason()).contains("fell more than 64 MiB behind");
        assertThat(Optional.of(q.wants(new LogEntry(LogEntry.Stream.STDERR, big, Instant.EPOCH)))).contains(false);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
