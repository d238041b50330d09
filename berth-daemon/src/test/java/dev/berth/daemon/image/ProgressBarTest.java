package dev.berth.daemon.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.registry.ProgressSink.Progress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** dockerd's progress text and message shapes, compared with what dockerd 20.10 sent for a real pull and push. */
class ProgressBarTest {
    @Test
    void sizesAreGoUnitsHumanSize() {
        assertThat(ProgressBar.humanSize(0)).isEqualTo("0B");
        assertThat(ProgressBar.humanSize(999)).isEqualTo("999B");
        assertThat(ProgressBar.humanSize(34816)).isEqualTo("34.82kB");
        assertThat(ProgressBar.humanSize(425984)).isEqualTo("426kB");
        assertThat(ProgressBar.humanSize(1064384)).isEqualTo("1.064MB");
        assertThat(ProgressBar.humanSize(1500000)).isEqualTo("1.5MB");
        assertThat(ProgressBar.humanSize(999_999)).isEqualTo("1000kB");
        assertThat(ProgressBar.humanSize(209_715_200)).isEqualTo("209.7MB");
    }

    @Test
    void barsAreDockerdsFiftySteps() {
        assertThat(ProgressBar.of(34816, 1982263))
                .isEqualTo("[>                                                  ]  34.82kB/1.982MB");
        assertThat(ProgressBar.of(1443840, 1982263))
                .isEqualTo("[====================================>              ]  1.444MB/1.982MB");
        assertThat(ProgressBar.of(1064384, 1064384))
                .isEqualTo("[==================================================>]  1.064MB/1.064MB");
        // more than announced: the count alone
        assertThat(ProgressBar.of(1986560, 1982263))
                .isEqualTo("[==================================================>]  1.987MB");
        assertThat(ProgressBar.of(0, 0)).isEmpty();
        assertThat(ProgressBar.of(2048, -1)).isEqualTo(" 2.048kB");
    }

    @Test
    void layerActionsCarryAnEmptyDetailMessagesDoNot() {
        assertThat(ProgressStream.wire(Progress.of("8220f9b13f56", "Waiting")))
                .isEqualTo(Map.of("status", "Waiting", "progressDetail", Map.of(), "id", "8220f9b13f56"));
        assertThat(ProgressStream.wire(Progress.of("8220f9b13f56", "Mounted from other/repo")))
                .containsEntry("progressDetail", Map.of());
        assertThat(ProgressStream.wire(Progress.of("latest", "Pulling from library/busybox")))
                .isEqualTo(Map.of("status", "Pulling from library/busybox", "id", "latest"));
        assertThat(ProgressStream.wire(Progress.line("Digest: sha256:00"))).isEqualTo(Map.of("status", "Digest: sha256:00"));
        assertThat(ProgressStream.wire(new Progress("0123456789ab", "Downloading", 5, 10)))
                .containsEntry("progressDetail", Map.of("current", 5L, "total", 10L));
    }
}
