package dev.berth.engine.network.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host tool runner (posix_spawn, pipes, pidfd) against /bin/sh; no root needed. */
class HostCommandTest {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private static HostCommand.Result sh(String script, Map<String, String> env, String stdin) {
        return HostCommand.run(List.of("sh", "-c", script), env, stdin, TEN_SECONDS);
    }

    @Test
    void passesStdinAndACleanEnvironmentAndCollectsBothOutputs() {
        var r = sh("read line; echo \"got $line $FOO\"; echo oops >&2; env | sort", Map.of("FOO", "bar"), "hello\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout()).startsWith("got hello bar").contains("PATH=" + HostCommand.PATH)
                .doesNotContain("HOME=").doesNotContain("JAVA_HOME");
        assertThat(r.stderr()).isEqualTo("oops");
    }

    @Test
    void inputLargerThanAPipeIsWrittenWhileOutputIsRead() {
        String big = "x".repeat(300_000) + "\n";
        var r = sh("cat; cat /dev/null", Map.of(), big);
        assertThat(r.stdout()).hasSize(300_000);
    }

    @Test
    void aChildHoldsNoFdOfOursButItsStdio() {
        var r = sh("ls /proc/$$/fd", Map.of(), "");
        // sh's own 0, 1, 2 (ls lists the shell's fds, not its own)
        assertThat(r.stdout().lines().toList()).containsExactlyInAnyOrder("0", "1", "2");
    }

    @Test
    void exitCodesAndSignalsAreReported() {
        assertThat(sh("exit 3", Map.of(), "").exit()).isEqualTo(3);
        assertThat(sh("kill -9 $$", Map.of(), "").exit()).isEqualTo(137);
    }

    @Test
    void aToolThatIgnoresItsInputStillFinishes() {
        var r = sh("exec >&-; exit 0", Map.of(), "y".repeat(200_000));
        assertThat(r.ok()).isTrue();
    }

    @Test
    void aToolThatHangsIsKilledAfterTheTimeout() {
        assertThatThrownBy(() -> HostCommand.run(List.of("sh", "-c", "exec sleep 30"), Map.of(), "", Duration.ofMillis(300)))
                .isInstanceOf(BerthException.class).hasMessageContaining("timed out");
    }

    @Test
    void aMissingToolIsAnError() {
        assertThatThrownBy(() -> HostCommand.run(List.of("no-such-tool-berth"), Map.of(), "", TEN_SECONDS))
                .isInstanceOf(BerthException.class).hasMessageContaining("no-such-tool-berth");
        assertThatThrownBy(() -> HostCommand.run(List.of("/nonexistent/tool"), Map.of(), "", TEN_SECONDS))
                .isInstanceOf(BerthException.class).hasMessageContaining("/nonexistent/tool");
    }
}
