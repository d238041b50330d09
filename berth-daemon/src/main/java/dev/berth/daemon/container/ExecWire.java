package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.engine.ExecConfig;
import dev.berth.engine.ExecInstance;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exec routes' JSON: the create body (docker's ExecConfig) read into the engine's
 * {@link ExecConfig} and the API-only {@link Options}, and docker's ExecInspect written back.
 */
final class ExecWire {
    private ExecWire() {}

    /**
     * What the engine does not need: the streams the client reads, its detach keys, the first
     * console size; {@code started} completes once a start was tried (resize waits on it).
     */
    record Options(boolean attachStdout, boolean attachStderr, DetachKeys detachKeys, Optional<List<Long>> consoleSize,
                   CompletableFuture<Void> started, AtomicBoolean startFailed) {
        static Options defaults() {
            return new Options(true, true, DetachKeys.DEFAULT, Optional.empty(), new CompletableFuture<>(), new AtomicBoolean());
        }
    }

    /**
     * dockerd's words for an exec whose process could not start (runc's error wrapped by
     * containerd's), which the CLI prints as they are.
     */
    static String startFailure(String runtimeMessage) {
        return "OCI runtime exec failed: exec failed: unable to start container process: " + runtimeMessage + ": unknown";
    }

    /** dockerd gives every exec that could not start exit code 126, whatever the cause. */
    static final int START_FAILED = 126;

    static ExecConfig config(JsonObject body) {
        return new ExecConfig(stringOrStrings(body, "Cmd"), body.strings("Env"), body.string("User").orElse(""),
                body.string("WorkingDir").orElse(""), body.bool("AttachStdin").orElse(false), body.bool("Tty").orElse(false),
                body.bool("Privileged").orElse(false));
    }

    static Options options(JsonObject body) {
        DetachKeys keys = DetachKeys.forExec(body.string("DetachKeys").orElse(""));
        return new Options(body.bool("AttachStdout").orElse(false), body.bool("AttachStderr").orElse(false), keys,
                consoleSize(body), new CompletableFuture<>(), new AtomicBoolean());
    }

    /** ConsoleSize: [height, width], or null. */
    static Optional<List<Long>> consoleSize(JsonObject body) {
        List<Long> size = body.uint32s("ConsoleSize");
        if (size.isEmpty()) {
            return Optional.empty();
        }
        if (size.size() != 2) {
            throw body.error("ConsoleSize", "expected [height, width]");
        }
        return Optional.of(size);
    }

    /** docker's strslice: an array of strings, or one string. */
    private static List<String> stringOrStrings(JsonObject body, String key) {
        try {
            return body.strings(key);
        } catch (BerthException e) {
            return List.of(body.string(key).orElseThrow(() -> e));
        }
    }

    /**
     * The body as a JSON tree, {} when there is none (a start from an older client), after
     * dockerd's CheckForJSON: a body must come as application/json.
     */
    static Object bodyOrEmpty(ApiCall call) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(1 << 20);
        }
        String type = call.header("Content-Type").orElse("");
        if (!(type.isEmpty() && bytes.length == 0) && !type.split(";")[0].trim().equalsIgnoreCase("application/json")) {
            throw BerthException.invalid("unsupported Content-Type header (" + type + "): must be 'application/json'");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.isBlank() ? Map.of() : Json.parse(text, "request body");
    }

    /** docker's ExecInspect. */
    static Map<String, Object> inspect(ExecInstance exec, Options opts) {
        List<String> cmd = exec.config().cmd();
        JsonObjectBuilder process = JsonObjectBuilder.create()
                .put("tty", exec.config().tty())
                .put("entrypoint", cmd.getFirst())
                .put("arguments", cmd.subList(1, cmd.size()))
                .put("privileged", exec.config().privileged())
                .omitEmpty("user", exec.config().user());
        return JsonObjectBuilder.create()
                .put("ID", exec.id())
                .put("Running", exec.running())
                .put("ExitCode", opts.startFailed().get() ? Integer.valueOf(START_FAILED) : exec.exitCode().orElse(null))
                .put("ProcessConfig", process.build())
                .put("OpenStdin", exec.config().attachStdin())
                .put("OpenStderr", opts.attachStderr())
                .put("OpenStdout", opts.attachStdout())
                .put("CanRemove", false)
                .put("ContainerID", exec.containerId())
                // a Go []byte: base64 in JSON
                .put("DetachKeys", Base64.getEncoder().encodeToString(opts.detachKeys().bytes()))
                .put("Pid", exec.pid())
                .build();
    }
}
