package dev.berth.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs berth command lines in-process with captured streams, a fixed clock and a chosen environment. */
public final class TestCli {
    public static final Instant NOW = Instant.parse("2026-11-26T09:26:53Z");

    private final Map<String, String> env = new HashMap<>();
    private InputStream in = new ByteArrayInputStream(new byte[0]);
    private boolean terminal;

    /** The outcome of one run. */
    public record Result(int status, String out, String err, byte[] outBytes) {}

    public TestCli env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public TestCli stdin(byte[] bytes) {
        this.in = new ByteArrayInputStream(bytes);
        return this;
    }

    /** Pretend every standard stream is a terminal. */
    public TestCli terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean tty = terminal;
        int status;
        try (Cli cli = new Cli(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC,
                fd -> tty)) {
            status = Main.run(cli, args);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                out.toByteArray());
    }
}
