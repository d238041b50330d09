package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.ConfigChanges.RunConfig;
import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values are what dockerd 20.10 produced for the same {@code docker import -c} lines. */
class ConfigChangesTest {
    private static RunConfig apply(String... changes) {
        RunConfig config = new RunConfig();
        ConfigChanges.apply(config, List.of(changes));
        return config;
    }

    @Test
    void everyInstructionAsDockerdAppliesIt() {
        RunConfig c = apply("ENV A=1 B=\"x y\"", "ENV C $A:z w", "LABEL a=b \"c d\"=e", "EXPOSE 80 53/udp 8000-8001",
                "VOLUME [\"/v1\", \"/v2\"]", "VOLUME /v3 /v4", "WORKDIR rel", "WORKDIR sub/$A", "USER nob:$A",
                "ONBUILD run echo hi", "CMD echo \"a b\"", "ENTRYPOINT [\"/bin/e\", \"x\"]",
                "HEALTHCHECK --interval=5s --retries=2 CMD curl x", "STOPSIGNAL SIGKILL");
        assertThat(c.env).containsExactly("A=1", "B=x y", "C=1:z w");
        assertThat(c.labels).containsExactly(Map.entry("a", "b"), Map.entry("c d", "e"));
        assertThat(c.exposedPorts).containsExactlyInAnyOrder("53/udp", "80/tcp", "8000/tcp", "8001/tcp");
        assertThat(c.volumes).containsExactly("/v1", "/v2", "/v3", "/v4");
        assertThat(c.workingDir).isEqualTo("/rel/sub/1");
        assertThat(c.user).isEqualTo("nob:1");
        assertThat(c.onBuild).containsExactly("RUN echo hi");
        assertThat(c.cmd).containsExactly("/bin/sh", "-c", "echo \"a b\"");
        assertThat(c.entrypoint).containsExactly("/bin/e", "x");
        assertThat(c.healthcheck).containsEntry("Test", List.of("CMD-SHELL", "curl x"))
                .containsEntry("Interval", 5_000_000_000L).containsEntry("Retries", 2L);
        assertThat(c.stopSignal).isEqualTo("SIGKILL");
    }

    @Test
    void instructionsAreCaseInsensitiveAndEnvOverwritesInPlace() {
        RunConfig c = apply("env A=1", "Env B=2", "ENV A=3");
        assertThat(c.env).containsExactly("A=3", "B=2");
    }

    @Test
    void malformedJsonIsShellForm() {
        assertThat(apply("CMD [\"a\", bad").cmd).containsExactly("/bin/sh", "-c", "[\"a\", bad");
        assertThat(apply("CMD").cmd).containsExactly("/bin/sh", "-c");
    }

    @Test
    void entrypointDropsAnInheritedCmdButNotOneSetAlongside() {
        RunConfig inherited = new RunConfig();
        inherited.cmd = List.of("sh");
        ConfigChanges.apply(inherited, List.of("ENTRYPOINT [\"/e\"]"));
        assertThat(inherited.cmd).isNull();
        assertThat(apply("CMD [\"x\"]", "ENTRYPOINT [\"/e\"]").cmd).containsExactly("x");
    }

    @Test
    void quotingAndExpansion() {
        // one ENV line sees only what earlier lines set (dockerd: Y= and W=/b here)
        RunConfig c = apply("ENV H=/home X='$H' Y=\"$H\" Z=\\$H W=${H}/b V=${NOPE:-dflt} U=${H:+set}", "ENV Q=$H R=${H:+set}");
        assertThat(c.env).containsExactly("H=/home", "X=$H", "Y=", "Z=$H", "W=/b", "V=dflt", "U=", "Q=/home", "R=set");
    }

    @Test
    void refusesWhatDockerRefusesWithItsWords() {
        assertBad("FROM x", "from is not a valid change command");
        assertBad("RUN x", "run is not a valid change command");
        assertBad("bogus a", "bogus is not a valid change command");
        assertBad("ENV", "ENV requires at least one argument");
        assertBad("ENV X", "ENV must have two arguments");
        assertBad("LABEL x", "LABEL must have two arguments");
        assertBad("EXPOSE 80/xyz", "Invalid proto: xyz");
        assertBad("EXPOSE http", "Invalid containerPort: http");
        assertBad("USER", "USER requires exactly one argument");
        assertBad("USER a b", "USER requires exactly one argument");
        assertBad("STOPSIGNAL SIGNOPE", "Invalid signal: SIGNOPE");
        assertBad("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        assertBad("HEALTHCHECK --interval=1us CMD x", "Interval \"interval\" cannot be less than 1ms");
        assertBad("ENV A=\"open", "unexpected end of statement while looking for matching double-quote");
    }

    @Test
    void healthcheckNoneAndExecForm() {
        assertThat(apply("HEALTHCHECK NONE").healthcheck).containsEntry("Test", List.of("NONE"));
        assertThat(apply("HEALTHCHECK --timeout=1m30s CMD [\"/bin/check\", \"-q\"]").healthcheck)
                .containsEntry("Test", List.of("CMD", "/bin/check", "-q")).containsEntry("Timeout", 90_000_000_000L);
    }

    private static void assertBad(String change, String message) {
        assertThatThrownBy(() -> apply(change)).isInstanceOf(BerthException.class).hasMessage(message)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
    }
}
