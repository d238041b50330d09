package dev.berth.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.TestDaemons;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up speaks to a real daemon's socket, and gives up quietly on a dead one. */
class RequestPathWarmupTest {
    @TempDir
    Path dir;

    @Test
    void warmUpConnectionsGetAnswersFromTheRealRoutes() {
        try (Daemon daemon = TestDaemons.start(dir, router -> { })) {
            RequestPathWarmup warmup = new RequestPathWarmup(TestDaemons.socket(dir), 5);
            warmup.run();
            assertThat(warmup.completed()).isEqualTo(5);
        }
    }

    @Test
    void aSocketNobodyServesEndsTheWarmUpWithoutError() {
        RequestPathWarmup warmup = new RequestPathWarmup(dir.resolve("nobody.sock"), 5);
        warmup.run();
        assertThat(warmup.completed()).isZero();
    }
}
