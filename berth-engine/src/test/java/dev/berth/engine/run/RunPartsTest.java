package dev.berth.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.logs.LogEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPartsTest {
    @TempDir
    Path tmp;

    @Test
    void dockersBackoff() {
        RestartManager m = new RestartManager();
        RestartPolicy always = RestartPolicy.parse("always");
        assertThat(m.shouldRestart(always, 0, 0, false, Duration.ofMillis(10))).contains(Duration.ofMillis(100));
        assertThat(m.shouldRestart(always, 1, 0, false, Duration.ofMillis(10))).contains(Duration.ofMillis(200));
        assertThat(m.shouldRestart(always, 2, 0, false, Duration.ofMillis(10))).contains(Duration.ofMillis(400));
        for (int i = 0; i < 20; i++) {
            m.shouldRestart(always, 3, 0, false, Duration.ofMillis(10));
        }
        assertThat(m.shouldRestart(always, 3, 0, false, Duration.ofMillis(10))).contains(Duration.ofMinutes(1));
        // a run of 10 s starts over
        assertThat(m.shouldRestart(always, 3, 0, false, Duration.ofSeconds(10))).contains(Duration.ofMillis(100));
        assertThat(m.shouldRestart(always, 3, 0, true, Duration.ZERO)).isPresent();

        RestartManager f = new RestartManager();
        RestartPolicy onFailure = RestartPolicy.parse("on-failure:2");
        assertThat(f.shouldRestart(onFailure, 0, 0, false, Duration.ZERO)).isEmpty();
        assertThat(f.shouldRestart(onFailure, 0, 1, false, Duration.ZERO)).isPresent();
        assertThat(f.shouldRestart(onFailure, 2, 1, false, Duration.ZERO)).isEmpty();
        assertThat(new RestartManager().shouldRestart(RestartPolicy.parse("unless-stopped"), 0, 0, true, Duration.ZERO)).isEmpty();
        assertThat(new RestartManager().shouldRestart(RestartPolicy.NO, 0, 1, false, Duration.ZERO)).isEmpty();
    }

    @Test
    void linesSplitAtNewlinesAnd16KiB() {
        List<LogEntry> got = new ArrayList<>();
        LineSplitter s = new LineSplitter(LogEntry.Stream.STDOUT, got::add);
        s.feed("a\nb".getBytes(StandardCharsets.UTF_8));
        s.feed("c\n\nd".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[LineSplitter.MAX_LINE + 10];
        Arrays.fill(big, (byte) 'x');
        s.feed(big);
        s.finish();
        assertThat(got).extracting(e -> e.text().length() > 20 ? "big" + e.line().length : e.text())
                .containsExactly("a\n", "bc\n", "\n", "big" + LineSplitter.MAX_LINE, "xxxxxxxxxxx");
    }

    @Test
    void aTerminalsOutputIsPassedOnWithoutWaitingForANewline() {
        List<LogEntry> got = new ArrayList<>();
        LineSplitter s = new LineSplitter(LogEntry.Stream.STDOUT, got::add, true);
        s.feed("/ # ".getBytes(StandardCharsets.UTF_8));
        s.feed("ls\r\nbin\r\n/ # ".getBytes(StandardCharsets.UTF_8));
        s.finish();
        assertThat(got).extracting(LogEntry::text).containsExactly("/ # ", "ls\r\n", "bin\r\n", "/ # ");
    }

    @Test
    void exitCodesAndSignals() {
        assertThat(ExitCodes.fromWaitStatus(3 << 8)).isEqualTo(3);
        assertThat(ExitCodes.fromWaitStatus(9)).isEqualTo(137);
        assertThat(ExitCodes.forStartError("exec: \"nope\": executable file not found in $PATH")).isEqualTo(127);
        assertThat(ExitCodes.forStartError("exec: \"/x\": stat /x: no such file or directory")).isEqualTo(127);
        assertThat(ExitCodes.forStartError("exec: \"/etc/passwd\": permission denied")).isEqualTo(126);
        assertThat(ExitCodes.forStartError("mount failed")).isEqualTo(128);
        assertThat(SignalNames.parse("SIGTERM")).isEqualTo(15);
        assertThat(SignalNames.parse("kill")).isEqualTo(9);
        assertThat(SignalNames.parse("10")).isEqualTo(10);
        assertThatThrownBy(() -> SignalNames.parse("0")).hasMessage("Invalid signal: 0");
    }

    @Test
    void scopedPathsNeverLeaveTheRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("real"));
        assertThat(ScopedPath.resolve(root, "/abs/x")).isEqualTo(root.resolve("etc/x"));
        assertThat(ScopedPath.resolve(root, "/up/etc")).isEqualTo(root.resolve("etc"));
        assertThat(ScopedPath.resolve(root, "/rel/y")).isEqualTo(root.resolve("real/y"));
        assertThat(ScopedPath.resolve(root, "/../../x")).isEqualTo(root.resolve("x"));
        Path made = ScopedPath.mkdirs(root, "/abs/work/dir", 0, 0);
        assertThat(made).isEqualTo(root.resolve("etc/work/dir")).isDirectory();
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        assertThatThrownBy(() -> ScopedPath.resolve(root, "/loop")).hasMessageContaining("too many levels");
        assertThat(Optional.of(RootfsMounts.unescape("/a\\040b"))).contains("/a b");
    }
}
