package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonProgressTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_000_100);

    @Test
    void theBarNeedsAWideTerminalAndTheTimeLeftAStart() {
        JsonProgress half = JsonProgress.of(Map.of("current", 1_500_000L, "total", 3_000_000L));
        assertThat(half.render(200, NOW)).isEqualTo("[=========================>                         ]    1.5MB/3MB");
        assertThat(half.render(80, NOW)).isEqualTo("   1.5MB/3MB");
        JsonProgress started = JsonProgress.of(Map.of("current", 1_000L, "total", 4_000L, "start", 1_000_000L));
        // 100 s for the first 1000 bytes: 300 s for the rest
        assertThat(started.render(80, NOW)).isEqualTo("     1kB/4kB 5m0s");
        assertThat(started.render(40, NOW)).isEqualTo("     1kB/4kB");
    }

    @Test
    void oddNumbersAreShownAsDockerShowsThem() {
        assertThat(JsonProgress.of(Map.of()).render(200, NOW)).isEmpty();
        assertThat(JsonProgress.of(Map.of("current", 2048L)).render(200, NOW)).isEqualTo(" 2.048kB");
        assertThat(JsonProgress.of(Map.of("current", 7L, "units", "items")).render(200, NOW)).isEqualTo("7 items");
        // more than the total: the total is left out and the bar stays full
        assertThat(JsonProgress.of(Map.of("current", 20L, "total", 10L)).render(200, NOW))
                .isEqualTo("[==================================================>]      20B");
        assertThat(JsonProgress.of(Map.of("current", 3L, "total", 10L, "units", "files")).render(80, NOW))
                .isEqualTo("3/10 files");
        assertThat(JsonProgress.of(Map.of("current", 3L, "total", 10L, "hidecounts", true)).render(80, NOW)).isEmpty();
        assertThat(JsonProgress.goDuration(3723)).isEqualTo("1h2m3s");
    }
}
