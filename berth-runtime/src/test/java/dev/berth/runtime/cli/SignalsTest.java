package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void namesWorkWithOrWithoutSigInAnyCase() {
        assertThat(Signals.parse("KILL")).isEqualTo(9);
        assertThat(Signals.parse("SIGKILL")).isEqualTo(9);
        assertThat(Signals.parse("sigkill")).isEqualTo(9);
        assertThat(Signals.parse("Term")).isEqualTo(15);
        assertThat(Signals.parse("usr1")).isEqualTo(10);
        assertThat(Signals.parse("SIGWINCH")).isEqualTo(28);
        assertThat(Signals.parse("CHLD")).isEqualTo(17);
        assertThat(Signals.parse("IOT")).isEqualTo(6);
    }

    @Test
    void numbersAreTakenAsTheyAre() {
        assertThat(Signals.parse("9")).isEqualTo(9);
        assertThat(Signals.parse("0")).isZero();
        assertThat(Signals.parse("64")).isEqualTo(64);
    }

    @Test
    void realtimeSignalsCountFromRtminOrRtmax() {
        assertThat(Signals.parse("RTMIN")).isEqualTo(34);
        assertThat(Signals.parse("SIGRTMIN+3")).isEqualTo(37);
        assertThat(Signals.parse("rtmax-2")).isEqualTo(62);
        assertThatThrownBy(() -> Signals.parse("RTMIN+40")).isInstanceOf(BerthException.class);
    }

    @Test
    void unknownSignalsAreInvalidArguments() {
        assertThatThrownBy(() -> Signals.parse("FOO"))
                .isInstanceOf(BerthException.class)
                .hasMessage("unknown signal \"FOO\"")
                .matches(e -> ((BerthException) e).kind() == BerthException.Kind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> Signals.parse("65")).hasMessage("unknown signal \"65\"");
        assertThatThrownBy(() -> Signals.parse("-9")).hasMessage("unknown signal \"-9\"");
        assertThatThrownBy(() -> Signals.parse("SIG")).hasMessage("unknown signal \"SIG\"");
    }
}
