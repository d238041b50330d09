package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.daemon.api.Filters;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The words and parsing the container routes share with dockerd, without containers. */
class ContainerWordsTest {
    @Test
    void theConsoleSizeOfACreateBody() {
        assertThat(CreateBody.consoleSize(Json.parse("{\"HostConfig\":{\"ConsoleSize\":[40,120]}}"))).get()
                .satisfies(size -> assertThat(size).containsExactly(40, 120));
        assertThat(CreateBody.consoleSize(Json.parse("{\"HostConfig\":{\"ConsoleSize\":[0,0]}}"))).isEmpty();
        assertThat(CreateBody.consoleSize(Json.parse("{\"HostConfig\":{\"ConsoleSize\":null}}"))).isEmpty();
        assertThat(CreateBody.consoleSize(Json.parse("{\"Image\":\"busybox\"}"))).isEmpty();
        assertThatThrownBy(() -> CreateBody.consoleSize(Json.parse("{\"HostConfig\":{\"ConsoleSize\":[-1,3]}}")))
                .isInstanceOf(BerthException.class);
    }

    @Test
    void theListsCommandQuotesArgumentsWithSpacesAsDockerdDoes() {
        assertThat(ContainerWire.command("sleep", List.of())).isEqualTo("sleep");
        assertThat(ContainerWire.command("sh", List.of("-c", "echo hi > /x; true"))).isEqualTo("sh -c 'echo hi > /x; true'");
    }

    @Test
    void durationsReadAsDockerPsWritesThem() {
        assertThat(HumanTime.duration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(HumanTime.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(HumanTime.duration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(HumanTime.duration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(HumanTime.duration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(HumanTime.duration(Duration.ofMinutes(70))).isEqualTo("About an hour");
        assertThat(HumanTime.duration(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(HumanTime.duration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(HumanTime.duration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(HumanTime.duration(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(HumanTime.duration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void pruneFiltersTakeDurationsTimestampsAndDatesAndLabels() {
        Instant now = Instant.now();
        PruneFilter hour = PruneFilter.of(Filters.parse("{\"until\":[\"1h\"]}"));
        assertThat(hour.matches(now.minus(Duration.ofHours(2)), Map.of())).isTrue();
        assertThat(hour.matches(now, Map.of())).isFalse();
        assertThat(PruneFilter.of(Filters.parse("{\"until\":[\"1500000000\"]}")).until()).isEqualTo(Instant.ofEpochSecond(1500000000));
        assertThat(PruneFilter.of(Filters.parse("{\"until\":[\"2020-01-02T03:04:05Z\"]}")).until())
                .isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        PruneFilter labels = PruneFilter.of(Filters.parse("{\"label\":[\"a\"],\"label!\":[\"b=2\"]}"));
        assertThat(labels.matches(now, Map.of("a", "1"))).isTrue();
        assertThat(labels.matches(now, Map.of("a", "1", "b", "2"))).isFalse();
        assertThat(labels.matches(now, Map.of("b", "3"))).isFalse();
        assertThatThrownBy(() -> PruneFilter.of(Filters.parse("{\"until\":[\"soon\"]}")))
                .isInstanceOf(BerthException.class).hasMessage("invalid filter 'until=soon'");
        assertThatThrownBy(() -> PruneFilter.of(Filters.parse("{\"dangling\":[\"true\"]}")))
                .isInstanceOf(BerthException.class).hasMessage("invalid filter 'dangling'");
    }

    @Test
    void aCommitBodyBecomesDockerfileInstructions() {
        JsonObject body = JsonObject.root("body", Json.parse("{\"Cmd\":[\"cat\",\"/f\"],\"Env\":[\"A=b c\"],"
                + "\"Labels\":{\"k\":\"v\"},\"WorkingDir\":\"/w\",\"User\":\"nobody\",\"ExposedPorts\":{\"80/tcp\":{}}}"));
        assertThat(CommitConfig.changes(body)).containsExactly("CMD [\"cat\",\"/f\"]", "ENV A=\"b c\"", "LABEL \"k\"=\"v\"",
                "WORKDIR /w", "USER nobody", "EXPOSE 80/tcp");
        assertThat(CommitConfig.changes(JsonObject.root("body", Json.parse("{}")))).isEmpty();
    }

    @Test
    void aCreateBodyIsCheckedAsDockerdChecksIt() {
        assertThatThrownBy(() -> CreateBody.read(java.util.Optional.of("x"), Json.parse("{\"Image\":\"busybox\"}")))
                .hasMessage("Invalid container name (x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> CreateBody.read(java.util.Optional.empty(), null))
                .hasMessage("config cannot be empty in order to create a container");
        assertThatThrownBy(() -> CreateBody.read(java.util.Optional.empty(), Json.parse("{\"Image\":\"busybox\","
                + "\"HostConfig\":{\"NetworkMode\":\"container:\"}}"))).hasMessage("invalid container format container:<name|id>");
        assertThat(CreateBody.read(java.util.Optional.of("/web"), Json.parse("{\"Image\":\"busybox\",\"Cmd\":\"sh\"}"))
                .config().cmd()).contains(java.util.List.of("sh"));
    }

    @Test
    void topReadsPsColumnsFromProcAndRunsPsForOtherArguments() {
        int self = (int) ProcessHandle.current().pid();
        TopTable.Table table = TopTable.of(java.util.List.of(self, Integer.MAX_VALUE), "");
        assertThat(table.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(table.processes()).hasSize(1); // a pid that is gone is no row
        java.util.List<String> row = table.processes().getFirst();
        assertThat(row.get(1)).isEqualTo(Integer.toString(self));
        assertThat(row.get(2)).isEqualTo(Long.toString(ProcessHandle.current().parent().orElseThrow().pid()));
        assertThat(row.get(4)).matches("\\d\\d:\\d\\d|[A-Z][a-z]{2}\\d\\d");
        assertThat(row.get(6)).matches("(\\d+-)?\\d\\d:\\d\\d:\\d\\d");
        assertThat(row.get(7)).contains("java");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/ps")), "no ps");
        TopTable.Table ps = TopTable.of(java.util.List.of(self), "-eo pid,comm");
        assertThat(ps.titles()).containsExactly("PID", "COMMAND");
        assertThat(ps.processes()).containsExactly(java.util.List.of(Integer.toString(self), "java"));
        assertThatThrownBy(() -> TopTable.of(java.util.List.of(self), "-eo comm")).hasMessage("Couldn't find PID field in ps output");
    }
}
