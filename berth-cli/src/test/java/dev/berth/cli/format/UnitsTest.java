package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void humanSizeUsesDecimalUnitsAndSignificantDigitsAsGoUnits() {
        assertThat(Units.humanSize(0, 3)).isEqualTo("0B");
        assertThat(Units.humanSize(2, 3)).isEqualTo("2B");
        assertThat(Units.humanSize(1982259, 3)).isEqualTo("1.98MB");
        assertThat(Units.humanSize(1982259)).isEqualTo("1.982MB");
        assertThat(Units.humanSize(2289465)).isEqualTo("2.289MB");
        assertThat(Units.humanSize(307206, 3)).isEqualTo("307kB");
        assertThat(Units.humanSize(4260000, 3)).isEqualTo("4.26MB");
        assertThat(Units.humanSize(1000, 3)).isEqualTo("1kB");
        assertThat(Units.humanSize(999, 3)).isEqualTo("999B");
        // Go's %.3g switches to an exponent when rounding reaches 1000: docker really prints this
        assertThat(Units.humanSize(999_900, 3)).isEqualTo("1e+03kB");
        assertThat(Units.humanSize(123_456_789_012L, 3)).isEqualTo("123GB");
    }

    @Test
    void bytesSizeUsesBinaryUnits() {
        assertThat(Units.bytesSize(25276510208L)).isEqualTo("23.54GiB");
        assertThat(Units.bytesSize(1024)).isEqualTo("1KiB");
        assertThat(Units.bytesSize(512)).isEqualTo("512B");
    }

    @Test
    void goGFormatting() {
        assertThat(GoNumbers.g(1.982259, 3)).isEqualTo("1.98");
        assertThat(GoNumbers.g(2.0, 3)).isEqualTo("2");
        assertThat(GoNumbers.g(0.00001234, 3)).isEqualTo("1.23e-05");
        assertThat(GoNumbers.g(0.000123, 3)).isEqualTo("0.000123");
        assertThat(GoNumbers.g(1.5, 1)).isEqualTo("2");
        assertThat(GoNumbers.g(2.5, 1)).isEqualTo("2");
    }

    @Test
    void humanDurationMatchesDockersWords() {
        assertThat(Units.humanDuration(Duration.ofMillis(400))).isEqualTo("Less than a second");
        assertThat(Units.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Units.humanDuration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(Units.humanDuration(Duration.ofSeconds(60))).isEqualTo("About a minute");
        assertThat(Units.humanDuration(Duration.ofSeconds(119))).isEqualTo("About a minute");
        assertThat(Units.humanDuration(Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(Units.humanDuration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(Units.humanDuration(Duration.ofMinutes(60))).isEqualTo("About an hour");
        assertThat(Units.humanDuration(Duration.ofMinutes(89))).isEqualTo("About an hour");
        assertThat(Units.humanDuration(Duration.ofMinutes(90))).isEqualTo("2 hours");
        assertThat(Units.humanDuration(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(Units.humanDuration(Duration.ofHours(48))).isEqualTo("2 days");
        assertThat(Units.humanDuration(Duration.ofDays(13))).isEqualTo("13 days");
        assertThat(Units.humanDuration(Duration.ofDays(14))).isEqualTo("2 weeks");
        assertThat(Units.humanDuration(Duration.ofDays(59))).isEqualTo("8 weeks");
        assertThat(Units.humanDuration(Duration.ofDays(60))).isEqualTo("2 months");
        assertThat(Units.humanDuration(Duration.ofDays(729))).isEqualTo("24 months");
        assertThat(Units.humanDuration(Duration.ofDays(730))).isEqualTo("2 years");
    }
}
