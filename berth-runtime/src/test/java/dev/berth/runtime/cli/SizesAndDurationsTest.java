package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SizesAndDurationsTest {

    @Test
    void sizesArePowersOf1024InAnySpelling() {
        assertThat(Sizes.ramInBytes("512")).isEqualTo(512);
        assertThat(Sizes.ramInBytes("10k")).isEqualTo(10 * 1024);
        assertThat(Sizes.ramInBytes("10K")).isEqualTo(10 * 1024);
        assertThat(Sizes.ramInBytes("10m")).isEqualTo(10L << 20);
        assertThat(Sizes.ramInBytes("10M")).isEqualTo(10L << 20);
        assertThat(Sizes.ramInBytes("10MB")).isEqualTo(10L << 20);
        assertThat(Sizes.ramInBytes("10mib")).isEqualTo(10L << 20);
        assertThat(Sizes.ramInBytes("64 MiB")).isEqualTo(64L << 20);
        assertThat(Sizes.ramInBytes("1g")).isEqualTo(1L << 30);
        assertThat(Sizes.ramInBytes("1.5g")).isEqualTo(3L << 29);
        assertThat(Sizes.ramInBytes("2t")).isEqualTo(2L << 40);
        assertThat(Sizes.ramInBytes("1p")).isEqualTo(1L << 50);
        assertThat(Sizes.ramInBytes("100b")).isEqualTo(100);
    }

    @Test
    void badSizesUseGoUnitsWording() {
        assertThatThrownBy(() -> Sizes.ramInBytes("10x")).hasMessage("invalid size: '10x'");
        assertThatThrownBy(() -> Sizes.ramInBytes("")).hasMessage("invalid size: ''");
        assertThatThrownBy(() -> Sizes.ramInBytes("m")).hasMessage("invalid size: 'm'");
        assertThatThrownBy(() -> Sizes.ramInBytes("-5m")).hasMessage("invalid size: '-5m'");
        assertThatThrownBy(() -> Sizes.ramInBytes("1.2.3m")).hasMessage("invalid size: '1.2.3m'");
        assertThatThrownBy(() -> Sizes.ramInBytes("10mm")).hasMessage("invalid size: '10mm'");
    }

    @Test
    void durationsFollowGoSyntax() {
        assertThat(GoDuration.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(GoDuration.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDuration.parse("-2s")).isEqualTo(Duration.ofSeconds(-2));
    }

    @Test
    void badDurationsAreRejected() {
        assertThatThrownBy(() -> GoDuration.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("5 s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("5d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
