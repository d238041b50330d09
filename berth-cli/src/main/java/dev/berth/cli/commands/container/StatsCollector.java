package dev.berth.cli.commands.container;

import dev.berth.cli.output.Fields;
import dev.berth.cli.output.StatsEntry;
import dev.berth.client.ApiClient;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import dev.berth.oci.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads one container's stats (GET /containers/{id}/stats, streamed or one sample) on a thread of
 * its own and keeps the latest line. As docker's collector: the first sample, an error, or two
 * seconds without a sample release {@link #awaitFirst}; a failed stream leaves the line "--".
 */
final class StatsCollector {
    private static final long FIRST_SAMPLE_WAIT_MS = 2_000;

    private final String container;
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile StatsEntry entry;
    private volatile DaemonException error;
    private volatile ApiResponse response;
    private volatile boolean closed;

    StatsCollector(String container) {
        this.container = container;
        this.entry = StatsEntry.empty(container);
    }

    void start(ApiClient client, boolean stream) {
        Thread t = Thread.ofPlatform().daemon().name("stats-" + container).unstarted(() -> read(client, stream));
        t.start();
    }

    private void read(ApiClient client, boolean stream) {
        try (ApiResponse r = client.send("GET", ContainerPath.of(container, "/stats"),
                Query.of().add("stream", stream ? "1" : "0"), null, null, null)) {
            response = r;
            BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                entry = StatsEntry.of(container, Fields.object(Json.parse(line, "stats")));
                first.countDown();
                if (!stream) {
                    return;
                }
            }
            if (!closed) {
                entry = entry.asInvalid();
            }
        } catch (DaemonException e) {
            error = e;
            entry = entry.asInvalid();
        } catch (IOException | RuntimeException e) {
            entry = entry.asInvalid();
        } finally {
            first.countDown();
        }
    }

    /** Waits for the first sample, at most two seconds; after that a line without one reads "--". */
    void awaitFirst() {
        try {
            if (!first.await(FIRST_SAMPLE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                entry = entry.asInvalid();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    StatsEntry entry() {
        return entry;
    }

    /** The daemon's refusal of the request ("No such container"), or null. */
    DaemonException error() {
        return error;
    }

    void close() {
        closed = true;
        ApiResponse r = response;
        if (r != null) {
            r.close();
        }
    }
}
