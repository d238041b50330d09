package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.ConsoleSize;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.State.Status;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.testing.ConsoleSocket;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** process.terminal with --console-socket: the pty master goes out over SCM_RIGHTS. */
class ConsoleTest {
    @TempDir
    Path tmp;
    Harness h;
    ConsoleSocket console;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "tty");
        console = ConsoleSocket.listen(tmp.resolve("console.sock"));
    }

    @AfterEach
    void tearDown() {
        if (console != null) {
            console.close();
        }
        if (h != null) {
            h.close();
        }
    }

    private TestBundle terminalBundle(String script) {
        TestBundle b = h.bundle("sh", "-c", script);
        b.edit(c -> {
            b.process().put("terminal", true);
            b.process().put("consoleSize", new java.util.LinkedHashMap<>(Map.of("height", 30, "width", 100)));
        });
        return b;
    }

    private void createWithConsole() {
        h.remember(h.runtime.create(new CreateOptions(h.id, tmp.resolve("bundle"), Optional.empty(),
                Optional.of(console.path()), false, false, 0)));
    }

    @Test
    void stdioIsThePtyWithTheConsoleSize() {
        terminalBundle("tty; stty size; echo done");
        createWithConsole();
        assertThat(console.received().name()).startsWith("/dev/pts/");
        h.runtime.start(h.id);
        String out = console.readUntil("done");
        assertThat(out).contains("/dev/pts/").contains("30 100").contains("done");
        h.awaitStatus(Status.STOPPED);
    }

    @Test
    void whatIsTypedReachesTheContainer() {
        terminalBundle("read line; echo got-$line");
        createWithConsole();
        h.runtime.start(h.id);
        console.type("hello\n");
        assertThat(console.readUntil("got-hello")).contains("got-hello");
    }

    @Test
    void terminalWithoutConsoleSocketIsRefused() {
        terminalBundle("true");
        assertThatThrownBy(() -> h.runtime.create(CreateOptions.of(h.id, tmp.resolve("bundle"))))
                .isInstanceOf(BerthException.class)
                .hasMessage("cannot allocate tty if berth-runtime will detach without setting console socket");
        assertThat(h.runtime.list()).isEmpty();
    }

    @Test
    void execWithATerminal() {
        h.bundle("sleep", "60");
        h.runDetached();
        Process base = h.process("sh", "-c", "tty; stty size; echo exec-done");
        Process p = new Process(true, new ConsoleSize(24, 80), base.cwd(), base.env(), base.args(), null, base.rlimits(),
                null, base.capabilities(), base.noNewPrivileges(), null, null, base.user());
        int code = h.runtime.exec(h.id, new ExecOptions(p, true, Optional.empty(), Optional.of(console.path()), 0));
        assertThat(code).isZero();
        String out = console.readUntil("exec-done");
        assertThat(out).contains("/dev/pts/").contains("24 80").contains("exec-done");
    }
}
