package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** runc's (urfave/cli v1) argument reordering: update.bats runs {@code update ID --cpu-period N}. */
class FlagReorderTest {

    @Test
    void flagsAfterThePositionalMoveAhead() {
        assertThat(FlagParser.reorder(new String[] {"ct", "--cpu-period", "900000"}))
                .containsExactly("--cpu-period", "900000", "ct");
    }

    @Test
    void inlineValuesAndBoolsKeepTheirOrder() {
        assertThat(FlagParser.reorder(new String[] {"-a", "ct", "--signal=9", "0"}))
                .containsExactly("-a", "ct", "--signal=9", "0");
    }

    @Test
    void everythingFromDoubleDashStaysPositional() {
        assertThat(FlagParser.reorder(new String[] {"ct", "--", "--memory", "1m"}))
                .containsExactly("ct", "--", "--memory", "1m");
    }

    @Test
    void aLoneDashAfterAFlagIsItsValue() {
        assertThat(FlagParser.reorder(new String[] {"-r", "-", "--memory", "2g", "c"}))
                .containsExactly("-r", "-", "--memory", "2g", "c");
    }

    @Test
    void aLoneDashIsPositional() {
        assertThat(FlagParser.reorder(new String[] {"-", "-r", "x"})).containsExactly("-r", "x", "-");
    }
}
