package dev.berth.cli.container;

import dev.berth.cli.Cli;
import dev.berth.cli.tty.RawTerminal;
import dev.berth.cli.tty.Signals;
import dev.berth.cli.tty.WindowSize;
import dev.berth.client.ApiClient;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The container calls the streaming commands share: inspect, wait, resize, signal forwarding. */
public final class ContainerApi {
    private ContainerApi() {}

    /** A name in a URL path (ids and names only hold safe characters; anything else is escaped). */
    public static String segment(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~:@+".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** GET /containers/{name}/json. */
    public static JsonObject inspect(ApiClient client, String name) {
        return JsonObject.root("container", client.getJson("/containers/" + segment(name) + "/json", null));
    }

    /**
     * POST /containers/{id}/wait, sent now (the daemon answers its head at once) and read in the
     * background. {@link #exitStatus} turns it into the status docker exits with.
     */
    public static CompletableFuture<JsonObject> waitFor(Cli cli, String id, String condition) {
        Query query = condition == null ? Query.of() : Query.of().add("condition", condition);
        ApiResponse response = cli.client().send("POST", "/containers/" + segment(id) + "/wait", query, null, null, null);
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("berth-wait").start(() -> {
            try (response) {
                result.complete(JsonObject.root("wait", Json.parse(response.text().strip(), "wait")));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The container's status from a wait; 125 (with docker's message) when the wait failed. */
    public static int exitStatus(Cli cli, CompletableFuture<JsonObject> wait) {
        JsonObject body;
        try {
            body = wait.join();
        } catch (java.util.concurrent.CompletionException e) {
            cli.err.println("error waiting for container: " + e.getCause().getMessage());
            return 125;
        }
        String message = body.object("Error").flatMap(e -> e.string("Message")).orElse("");
        if (!message.isEmpty()) {
            cli.err.println("Error waiting for container: " + message);
            return 125;
        }
        return body.int64("StatusCode").orElse(0L).intValue();
    }

    /** The status for a failed start, as docker run picks it: 127 not found, 126 not executable, else 125. */
    public static int startFailureStatus(String message) {
        if (message.contains("executable file not found") || message.contains("no such file or directory")
                || message.contains("system cannot find the file specified")) {
            return 127;
        }
        if (message.contains("permission denied") || message.contains("is a directory")) {
            return 126;
        }
        return 125;
    }

    /**
     * Keeps the container's (or exec's) terminal the size of ours: once now, then on each
     * SIGWINCH. {@code path} is "/containers/{id}" or "/exec/{id}". Errors are ignored, as the
     * container may already be gone.
     */
    public static Signals monitorSize(Cli cli, String path) {
        Runnable resize = () -> RawTerminal.size(1).or(() -> RawTerminal.size(0)).ifPresent(size -> resize(cli, path, size));
        resize.run();
        return new Signals().on(List.of("WINCH"), name -> resize.run());
    }

    private static void resize(Cli cli, String path, WindowSize size) {
        if (size.rows() == 0 && size.columns() == 0) {
            return;
        }
        try {
            cli.client().send("POST", path + "/resize", Query.of().add("h", Integer.toString(size.rows()))
                    .add("w", Integer.toString(size.columns())), null, null, null).close();
        } catch (RuntimeException ignored) {
            // the container may have exited already; docker logs this at debug level
        }
    }

    /** --sig-proxy: the signals the CLI receives go on to the container. */
    public static Signals proxySignals(Cli cli, String id) {
        return new Signals().on(Signals.PROXIED, name -> {
            try {
                cli.client().send("POST", "/containers/" + segment(id) + "/kill", Query.of().add("signal", name), null,
                        null, null).close();
            } catch (DaemonException | dev.berth.client.ConnectException e) {
                // docker logs a failed forward at debug level and goes on
            }
        });
    }
}
