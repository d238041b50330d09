package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GoValuesTest {
    @Test
    void sizesAreBinaryAsGoUnitsRamInBytes() {
        assertThat(GoValues.ramInBytes("1024")).isEqualTo(1024);
        assertThat(GoValues.ramInBytes("64m")).isEqualTo(64L << 20);
        assertThat(GoValues.ramInBytes("1.5GiB")).isEqualTo(3L << 29);
        assertThat(GoValues.ramInBytes("2 kb")).isEqualTo(2048);
        assertThatThrownBy(() -> GoValues.ramInBytes("x")).hasMessage("invalid size: 'x'");
        assertThatThrownBy(() -> GoValues.ramInBytes("64x")).hasMessage("invalid suffix: 'x'");
        assertThatThrownBy(() -> GoValues.ramInBytes("1..5m")).hasMessage("strconv.ParseFloat: parsing \"1..5\": invalid syntax");
        assertThat(GoValues.memSwapBytes("-1")).isEqualTo(-1);
    }

    @Test
    void durationsAsTimeParseDuration() {
        assertThat(GoValues.parseDuration("1h2m3.5s")).isEqualTo(3_723_500_000_000L);
        assertThat(GoValues.parseDuration("300ms")).isEqualTo(300_000_000L);
        assertThat(GoValues.parseDuration("-5s")).isEqualTo(-5_000_000_000L);
        assertThat(GoValues.parseDuration("0")).isZero();
        assertThatThrownBy(() -> GoValues.parseDuration("x")).hasMessage("time: invalid duration \"x\"");
        assertThatThrownBy(() -> GoValues.parseDuration("5")).hasMessage("time: missing unit in duration \"5\"");
    }

    @Test
    void cpusAreRationalNumbersInNanoCpus() {
        assertThat(GoValues.nanoCpus("0.5")).isEqualTo(500_000_000L);
        assertThat(GoValues.nanoCpus("3/2")).isEqualTo(1_500_000_000L);
        assertThat(GoValues.nanoCpus("2")).isEqualTo(2_000_000_000L);
        assertThatThrownBy(() -> GoValues.nanoCpus("1/3")).hasMessage("value is too precise");
    }

    @Test
    void sinceAndUntilAsDockersGetTimestamp() {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        assertThat(Timestamps.parse("10m", now, ZoneOffset.UTC)).isEqualTo(Long.toString(now.getEpochSecond() - 600));
        assertThat(Timestamps.parse("1700000000", now, ZoneOffset.UTC)).isEqualTo("1700000000");
        assertThat(Timestamps.parse("1700000000.5", now, ZoneOffset.UTC)).isEqualTo("1700000000.5");
        assertThat(Timestamps.parse("2026-11-26T09:00:00Z", now, ZoneOffset.UTC)).isEqualTo("1795683600.000000000");
        assertThat(Timestamps.parse("2026-11-26T09:00:00.25+01:00", now, ZoneOffset.UTC)).isEqualTo("1795680000.250000000");
        assertThat(Timestamps.parse("2026-11-26", now, ZoneOffset.ofHours(1))).isEqualTo("1795647600.000000000");
        assertThat(Timestamps.parse("2026-11-26T09", now, ZoneOffset.UTC)).isEqualTo("1795683600.000000000");
        assertThatThrownBy(() -> Timestamps.parse("yesterday", now, ZoneOffset.UTC))
                .hasMessage("failed to parse value as time or duration: \"yesterday\"");
    }
}
