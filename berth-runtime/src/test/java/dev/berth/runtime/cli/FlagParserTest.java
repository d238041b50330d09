package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlagParserTest {
    private static final List<Flag> FLAGS = List.of(
            Flag.string("bundle", "b", "bundle"),
            Flag.bool("detach", "d", "detach"),
            Flag.bool("tty", "t", "tty"),
            Flag.integer("preserve-fds", "fds", "0"),
            Flag.strings("env", "e", "env"),
            Flag.integers("additional-gids", "g", "gids"),
            Flag.duration("interval", "interval", "5s"));

    private static ParsedArgs parse(String... args) {
        return FlagParser.parse(FLAGS, args, 0);
    }

    @Test
    void valueFlagsTakeTheNextArgumentOrAnEqualsValue() {
        assertThat(parse("--bundle", "/b", "id").string("bundle")).isEqualTo("/b");
        assertThat(parse("--bundle=/b", "id").string("bundle")).isEqualTo("/b");
        assertThat(parse("-b", "/b", "id").string("bundle")).isEqualTo("/b");
        assertThat(parse("-b=/b", "id").string("bundle")).isEqualTo("/b");
    }

    @Test
    void oneOrTwoDashesAreTheSameAsInGo() {
        assertThat(parse("-bundle", "/b", "id").string("bundle")).isEqualTo("/b");
        assertThat(parse("--b", "/b", "id").string("bundle")).isEqualTo("/b");
        assertThat(parse("--d", "id").bool("detach")).isTrue();
    }

    @Test
    void aValueMayStartWithADash() {
        assertThat(parse("--bundle", "-weird", "id").string("bundle")).isEqualTo("-weird");
    }

    @Test
    void anEqualsValueMayBeEmptyOrContainEquals() {
        assertThat(parse("--bundle=", "id").string("bundle")).isEmpty();
        assertThat(parse("-e", "A=B=C").strings("env")).containsExactly("A=B=C");
    }

    @Test
    void boolFlagsNeverConsumeTheNextArgument() {
        ParsedArgs args = parse("--detach", "false", "id");
        assertThat(args.bool("detach")).isTrue();
        assertThat(args.positional()).containsExactly("false", "id");
    }

    @Test
    void boolFlagsTakeGoBoolSpellingsAfterEquals() {
        assertThat(parse("--detach=false").bool("detach")).isFalse();
        assertThat(parse("-d=0").bool("detach")).isFalse();
        assertThat(parse("-d=T").bool("detach")).isTrue();
        assertThat(parse("-d=1").isSet("detach")).isTrue();
        assertThat(parse("id").bool("detach")).isFalse();
        assertThatThrownBy(() -> parse("--detach=yes"))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid boolean value \"yes\" for -detach: parse error");
    }

    @Test
    void parsingStopsAtTheFirstPositional() {
        ParsedArgs args = parse("-d", "id", "--tty", "ps", "-ef");
        assertThat(args.bool("tty")).isFalse();
        assertThat(args.positional()).containsExactly("id", "--tty", "ps", "-ef");
        assertThat(args.rest()).containsExactly("--tty", "ps", "-ef");
    }

    @Test
    void doubleDashEndsFlagsAndIsDropped() {
        ParsedArgs args = parse("-d", "--", "-t", "id");
        assertThat(args.bool("tty")).isFalse();
        assertThat(args.positional()).containsExactly("-t", "id");
    }

    @Test
    void aLoneDashIsPositional() {
        assertThat(parse("-", "x").positional()).containsExactly("-", "x");
    }

    @Test
    void shortFlagsDoNotCombine() {
        assertThatThrownBy(() -> parse("-dt", "id"))
                .isInstanceOf(UsageException.class)
                .hasMessage("flag provided but not defined: -dt");
    }

    @Test
    void unknownFlagsAreNamedWithOneDash() {
        assertThatThrownBy(() -> parse("--bogus", "id"))
                .isInstanceOf(UsageException.class)
                .hasMessage("flag provided but not defined: -bogus")
                .matches(e -> ((UsageException) e).flagError());
    }

    @Test
    void aValueFlagAtTheEndNeedsItsArgument() {
        assertThatThrownBy(() -> parse("-b"))
                .isInstanceOf(UsageException.class)
                .hasMessage("flag needs an argument: -b");
    }

    @Test
    void badSyntaxIsRejected() {
        assertThatThrownBy(() -> parse("---bundle", "x")).hasMessage("bad flag syntax: ---bundle");
        assertThatThrownBy(() -> parse("-=x")).hasMessage("bad flag syntax: -=x");
    }

    @Test
    void integersAreCheckedWhileParsing() {
        assertThat(parse("--preserve-fds", "3").integer("preserve-fds", 0)).isEqualTo(3);
        assertThat(parse("--preserve-fds=-1").integer("preserve-fds", 0)).isEqualTo(-1);
        assertThat(parse("x").integer("preserve-fds", 7)).isEqualTo(7);
        assertThatThrownBy(() -> parse("--preserve-fds=abc"))
                .hasMessage("invalid value \"abc\" for flag -preserve-fds: parse error");
        assertThatThrownBy(() -> parse("-g", "x"))
                .hasMessage("invalid value \"x\" for flag -g: strconv.ParseInt: parsing \"x\": invalid syntax");
    }

    @Test
    void durationsAreCheckedWhileParsing() {
        assertThat(parse("--interval=250ms").duration("interval", null)).hasMillis(250);
        assertThatThrownBy(() -> parse("--interval", "soon"))
                .hasMessage("invalid value \"soon\" for flag -interval: parse error");
    }

    @Test
    void repeatableFlagsKeepEveryValueAndOthersKeepTheLast() {
        ParsedArgs args = parse("-e", "A=1", "--env=B=2", "-b", "/one", "-b", "/two", "-g", "5", "-g", "6");
        assertThat(args.strings("env")).containsExactly("A=1", "B=2");
        assertThat(args.strings("additional-gids")).containsExactly("5", "6");
        assertThat(args.string("bundle")).isEqualTo("/two");
        assertThat(args.strings("cap")).isEmpty();
    }

    @Test
    void helpIsAlwaysAccepted() {
        assertThat(parse("--help").helpRequested()).isTrue();
        assertThat(parse("-h").helpRequested()).isTrue();
        assertThat(parse("id").helpRequested()).isFalse();
    }

    @Test
    void argumentCountsUseRuncsWording() {
        assertThatThrownBy(() -> parse().requireExactly("start", 1))
                .hasMessage("berth-runtime: \"start\" requires exactly 1 argument(s)")
                .matches(e -> !((UsageException) e).flagError());
        assertThatThrownBy(() -> parse().requireAtLeast("exec", 1))
                .hasMessage("berth-runtime: \"exec\" requires a minimum of 1 argument(s)");
        assertThatThrownBy(() -> parse("a", "b", "c").requireAtMost("kill", 2))
                .hasMessage("berth-runtime: \"kill\" requires a maximum of 2 argument(s)");
    }
}
