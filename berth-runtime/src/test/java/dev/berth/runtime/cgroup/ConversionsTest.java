package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConversionsTest {
    @Test
    void sharesMapOntoTheWholeWeightRange() {
        assertThat(Conversions.sharesToWeight(2)).isEqualTo(1);
        assertThat(Conversions.sharesToWeight(1024)).isEqualTo(39);
        assertThat(Conversions.sharesToWeight(262144)).isEqualTo(10000);
        assertThat(Conversions.sharesToWeight(0)).isZero();
    }

    @Test
    void blkioWeightsMapOntoTheIoWeightRange() {
        assertThat(Conversions.blkioToIoWeight(10)).isEqualTo(1);
        assertThat(Conversions.blkioToIoWeight(1000)).isEqualTo(10000);
        assertThat(Conversions.blkioToIoWeight(0)).isZero();
    }

    @Test
    void swapIsMemoryPlusSwapMinusMemory() {
        assertThat(Conversions.swapToV2(300, 100)).isEqualTo(200);
        assertThat(Conversions.swapToV2(100, 100)).isZero();
        assertThat(Conversions.swapToV2(-1, 100)).isEqualTo(-1);
        assertThat(Conversions.swapToV2(0, 100)).isZero();
        assertThat(Conversions.swapToV2(0, -1)).isEqualTo(-1);
    }

    @Test
    void swapNeedsAMemoryLimitAtLeastAsLow() {
        assertThatThrownBy(() -> Conversions.swapToV2(300, 0)).hasMessage("memory.swap 300 needs a memory.limit as well");
        assertThatThrownBy(() -> Conversions.swapToV2(300, -1)).hasMessage("memory.swap 300 needs a memory.limit as well");
        assertThatThrownBy(() -> Conversions.swapToV2(50, 100))
                .hasMessage("memory.swap 50 (memory+swap) must not be below memory.limit 100");
    }

    @Test
    void unlimitedIsSpelledMax() {
        assertThat(Conversions.maxOr(-1)).isEqualTo("max");
        assertThat(Conversions.maxOr(5)).isEqualTo("5");
    }
}
