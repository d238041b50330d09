package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.testing.RawHttp;
import dev.berth.oci.json.Json;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** The container routes against an in-process berthd with real containers (root). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a wait that never answers fails the test, not the build
class ContainerRoutesTest {
    private ContainerDaemon d;

    @BeforeAll
    void start() throws Exception {
        ContainerDaemon.assumePrivileged();
        d = ContainerDaemon.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertError(RawHttp.Response r, int status, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).contains(Json.write(message).replaceAll("^\"|\"$", ""));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String key) {
        return (Map<String, Object>) ((Map<String, Object>) o).get(key);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(String query) throws Exception {
        return (List<Map<String, Object>>) d.json("GET", "/containers/json" + query, null);
    }

    private List<Object> names(String query) throws Exception {
        return list(query).stream().map(c -> ((List<?>) c.get("Names")).getFirst()).map(Object.class::cast).toList();
    }

    @Test
    void aContainerGoesThroughItsLifeAsDockerShowsIt() throws Exception {
        String id = d.create("life", "[\"sleep\",\"1000\"]");
        Map<String, Object> created = d.object("GET", "/containers/life/json", null);
        assertThat(created.get("Id")).isEqualTo(id);
        assertThat(map(created, "State").get("Status")).isEqualTo("created");
        assertThat(names("?all=1")).contains("/life");
        assertThat(names("")).doesNotContain("/life");

        assertThat(d.call("POST", "/containers/life/start", null).status()).isEqualTo(204);
        assertThat(d.call("POST", "/containers/life/start", null).status()).as("already running").isEqualTo(304);
        Map<String, Object> running = d.object("GET", "/containers/" + id.substring(0, 12) + "/json?size=1", null);
        assertThat(running).containsKeys("Path", "Args", "ResolvConfPath", "HostnamePath", "HostsPath", "LogPath",
                "RestartCount", "Platform", "MountLabel", "ProcessLabel", "AppArmorProfile", "ExecIDs", "GraphDriver",
                "Mounts", "SizeRw", "SizeRootFs");
        assertThat(running.get("Name")).isEqualTo("/life");
        assertThat(running.get("Driver")).isEqualTo("overlay2");
        assertThat(running.get("Path")).isEqualTo("sleep");
        assertThat(running.get("Args")).isEqualTo(List.of("1000"));
        Map<String, Object> state = map(running, "State");
        assertThat(state.get("Running")).isEqualTo(true);
        assertThat(((Number) state.get("Pid")).longValue()).isPositive();
        assertThat(map(running, "Config").get("Hostname")).isEqualTo(id.substring(0, 12));
        assertThat(map(running, "HostConfig")).containsEntry("NetworkMode", "none").containsKey("PortBindings");
        assertThat(map(map(running, "NetworkSettings"), "Networks")).containsOnlyKeys("none");

        Map<String, Object> row = list("?filters=" + q("{\"name\":[\"^/life$\"]}")).getFirst();
        assertThat(row.get("Id")).isEqualTo(id);
        assertThat(row.get("Command")).isEqualTo("sleep 1000");
        assertThat(row.get("State")).isEqualTo("running");
        assertThat((String) row.get("Status")).startsWith("Up ");
        assertThat(names("?filters=" + q("{\"id\":[\"" + id.substring(0, 10) + "\"]}"))).containsExactly("/life");
        assertThat(names("?filters=" + q("{\"status\":[\"exited\"],\"name\":[\"life\"]}"))).isEmpty();

        assertThat(d.call("POST", "/containers/life/pause", null).status()).isEqualTo(204);
        assertThat((String) list("?filters=" + q("{\"name\":[\"life\"]}")).getFirst().get("Status")).endsWith("(Paused)");
        assertThat(d.call("POST", "/containers/life/unpause", null).status()).isEqualTo(204);
        assertError(d.call("POST", "/containers/life/unpause", null), 409, "is not paused");

        assertError(d.call("DELETE", "/containers/life", null), 409, "stop the container before removing or force remove");
        assertThat(d.call("POST", "/containers/life/stop?t=1", null).status()).isEqualTo(204);
        assertThat(d.call("POST", "/containers/life/stop?t=1", null).status()).as("already stopped").isEqualTo(304);
        assertThat((String) list("?all=1&filters=" + q("{\"name\":[\"life\"]}")).getFirst().get("Status")).startsWith("Exited (");
        assertError(d.call("POST", "/containers/life/kill", null), 409,
                "Cannot kill container: life: Container " + id + " is not running");
        assertThat(d.call("DELETE", "/containers/life", null).status()).isEqualTo(204);
        assertError(d.call("GET", "/containers/life/json", null), 404, "No such container: life");
    }

    @Test
    void badInputGetsDockersStatusesAndWords() throws Exception {
        for (String[] route : new String[][] {{"GET", "/containers/nope/json"}, {"POST", "/containers/nope/start"},
                {"POST", "/containers/nope/stop"}, {"POST", "/containers/nope/kill"}, {"POST", "/containers/nope/wait"},
                {"DELETE", "/containers/nope"}, {"GET", "/containers/nope/top"}, {"POST", "/containers/nope/pause"},
                {"GET", "/containers/nope/changes"}, {"POST", "/containers/nope/rename?name=x2"}}) {
            assertError(d.call(route[0], route[1], null), 404, "No such container: nope");
        }
        String id = d.create("taken", "[\"true\"]");
        assertError(d.call("POST", "/containers/create?name=taken", "{\"Image\":\"busybox\"}"), 409,
                "Conflict. The container name \"/taken\" is already in use by container \"" + id
                        + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertError(d.call("POST", "/containers/create?name=a", "{\"Image\":\"busybox\"}"), 400,
                "Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertError(d.call("POST", "/containers/create?name=" + q("bad name"), "{\"Image\":\"busybox\"}"), 400,
                "Invalid container name (bad name)");
        assertError(d.call("POST", "/containers/create", "{\"Image\":\"nope\"}"), 404, "No such image: nope:latest");
        assertError(d.call("POST", "/containers/create", "{\"Image\":\"busybox\""), 400, "malformed JSON");
        assertError(d.call("POST", "/containers/create", null), 400, "config cannot be empty in order to create a container");
        assertError(d.call("POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"bogus\"}}}"),
                400, "invalid restart policy");
        assertError(d.call("POST", "/containers/create", "{\"Image\":\"busybox\",\"Cmd\":7}"), 400, "Cmd");
        assertError(d.call("POST", "/containers/create?platform=linux/s390x", "{\"Image\":\"busybox\"}"), 404,
                "does not match the specified platform: wanted linux/s390x");
        RawHttp.Response native_ = d.call("POST", "/containers/create?name=native&platform=linux/"
                + dev.berth.daemon.system.HostInfo.goArch(), "{\"Image\":\"busybox\"}");
        assertThat(native_.status()).as(native_.text()).isEqualTo(201);
        assertThat(d.call("DELETE", "/containers/native", null).status()).isEqualTo(204);
        assertError(RawHttp.call(d.socket, "POST", "/containers/create", "text/plain",
                "{\"Image\":\"busybox\"}".getBytes(StandardCharsets.UTF_8)), 400,
                "unsupported Content-Type header (text/plain): must be 'application/json'");
        assertError(d.call("GET", "/containers/json?filters=" + q("{\"bogus\":[\"x\"]}"), null), 400, "invalid filter 'bogus'");
        assertError(d.call("GET", "/containers/json?filters=" + q("{\"status\":[\"bogus\"]}"), null), 400,
                "invalid filter 'status=bogus'");
        assertError(d.call("GET", "/containers/json?filters=" + q("{\"health\":[\"bogus\"]}"), null), 400,
                "Unrecognised filter value for health: bogus");
        assertError(d.call("GET", "/containers/json?filters=notjson", null), 400, "invalid filters");
        assertError(d.call("POST", "/containers/taken/wait?condition=bogus", null), 400, "invalid condition");
        assertError(d.call("POST", "/containers/taken/pause", null), 409, "is not running");
        assertError(d.call("GET", "/containers/taken/top", null), 409, "is not running");
        assertError(d.call("POST", "/containers/taken/rename?name=taken", null), 400,
                "Renaming a container with the same name as its current name");
        assertError(d.call("POST", "/containers/taken/update", "{\"RestartPolicy\":{\"Name\":\"sometimes\"}}"), 400,
                "invalid restart policy");
        assertError(d.call("POST", "/containers/taken/update", "{\"Memory\":"), 400, "malformed JSON");
        assertError(d.call("POST", "/containers/taken/stop?t=soon", null), 400, "invalid value for t");
        assertError(d.call("POST", "/commit", null), 400, "container is required");
        assertThat(d.call("DELETE", "/containers/taken", null).status()).isEqualTo(204);
    }

    @Test
    void aProgramThatCannotStartIsA400WithTheRuntimesWordsAndExitCode127() throws Exception {
        d.create("cannot", "[\"nope\"]");
        assertError(d.call("POST", "/containers/cannot/start", null), 400, "exec: \"nope\": executable file not found in $PATH");
        Map<String, Object> state = map(d.object("GET", "/containers/cannot/json", null), "State");
        assertThat(((Number) state.get("ExitCode")).intValue()).isEqualTo(127);
        assertThat(d.call("DELETE", "/containers/cannot?force=1", null).status()).isEqualTo(204);
    }

    /** The status line and headers of a response whose body is still to come. */
    private static String readHead(RawHttp http) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = http.input().read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed in the headers: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void waitAnswersWhenTheContainerExitsEvenIfAskedBeforeStart() throws Exception {
        String id = d.create("waited", "[\"sh\",\"-c\",\"sleep 0.3; exit 3\"]");
        try (RawHttp http = new RawHttp(d.socket)) {
            http.send("POST", "/containers/" + id + "/wait?condition=next-exit", Map.of(), null);
            String head = readHead(http);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Transfer-Encoding: chunked");
            assertThat(d.call("POST", "/containers/waited/start", null).status()).isEqualTo(204);
            String body = new String(http.nextChunk(), StandardCharsets.UTF_8);
            assertThat(body).isEqualTo("{\"Error\":null,\"StatusCode\":3}\n");
        }
        Object again = d.json("POST", "/containers/waited/wait", null);
        assertThat(again).isEqualTo(Json.parse("{\"Error\":null,\"StatusCode\":3}"));
        assertThat(d.call("DELETE", "/containers/waited", null).status()).isEqualTo(204);
    }

    @Test
    @SuppressWarnings("unchecked")
    void topStatsChangesExportCommitRenameUpdate() throws Exception {
        String id = d.run("busy", "[\"sh\",\"-c\",\"echo hi > /made; sleep 1000\"]");
        Map<String, Object> top = d.object("GET", "/containers/busy/top", null);
        assertThat(top.get("Titles")).isEqualTo(TopTable.TITLES);
        List<List<String>> processes = (List<List<String>>) top.get("Processes");
        assertThat(processes).isNotEmpty();
        assertThat(processes.getFirst().get(0)).isEqualTo("root");
        assertThat(processes.getFirst().get(7)).contains("sleep 1000");
        String events = d.call("GET", "/events?since=0&until=" + (System.currentTimeMillis() / 1000 + 1) + "&filters="
                + q("{\"event\":[\"top\"]}"), null).text();
        assertThat(events).contains("\"Action\":\"top\"", "\"name\":\"busy\"");

        Map<String, Object> stats = d.object("GET", "/containers/busy/stats?stream=false&one-shot=1", null);
        assertThat(stats.get("id")).isEqualTo(id);
        assertThat(stats.get("name")).isEqualTo("/busy");
        assertThat(stats).doesNotContainKey("networks");
        assertThat(((Number) map(stats, "memory_stats").get("usage")).longValue()).isPositive();
        assertThat(((Number) map(stats, "memory_stats").get("limit")).longValue()).isPositive();
        assertThat(((Number) map(stats, "pids_stats").get("current")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(map(map(stats, "cpu_stats"), "cpu_usage")).containsKeys("total_usage", "usage_in_kernelmode", "usage_in_usermode");
        assertThat(map(stats, "cpu_stats")).containsKeys("system_cpu_usage", "online_cpus", "throttling_data");

        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Map<String, Object>> changes;
        do {
            changes = (List<Map<String, Object>>) d.json("GET", "/containers/busy/changes", null);
        } while ((changes == null || changes.stream().noneMatch(c -> "/made".equals(c.get("Path")))) && System.nanoTime() < deadline);
        assertThat(changes).contains(Map.of("Path", "/made", "Kind", 1L));
        assertThat(changes).as("/etc holds only the runtime's mount points").noneMatch(c -> "/etc".equals(c.get("Path")));

        RawHttp.Response export = d.call("GET", "/containers/busy/export", null);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).isEqualTo("application/x-tar");
        boolean sawBusybox = false;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(export.body()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                sawBusybox |= e.getName().equals("bin/busybox");
            }
        }
        assertThat(sawBusybox).isTrue();

        RawHttp.Response committed = d.call("POST", "/commit?container=busy&repo=routes/made&tag=1&comment=from+a+test&changes="
                + q("CMD [\"cat\",\"/made\"]"), "{\"Labels\":{\"made\":\"yes\"}}");
        assertThat(committed.status()).as(committed.text()).isEqualTo(201);
        Map<String, Object> image = d.object("GET", "/images/routes/made:1/json", null);
        assertThat(image.get("Comment")).isEqualTo("from a test");
        assertThat(map(image, "Config").get("Cmd")).isEqualTo(List.of("cat", "/made"));
        assertThat(map(map(image, "Config"), "Labels")).containsEntry("made", "yes");

        assertThat(d.call("POST", "/containers/busy/rename?name=busier", null).status()).isEqualTo(204);
        assertThat(d.object("GET", "/containers/busier/json", null).get("Name")).isEqualTo("/busier");
        Map<String, Object> updated = d.object("POST", "/containers/busier/update",
                "{\"Memory\":67108864,\"CpuShares\":0,\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":2}}");
        assertThat(updated).isEqualTo(Map.of("Warnings", List.of()));
        Map<String, Object> hostConfig = map(d.object("GET", "/containers/busier/json", null), "HostConfig");
        assertThat(((Number) hostConfig.get("Memory")).longValue()).isEqualTo(67108864L);
        assertThat(hostConfig.get("RestartPolicy")).isEqualTo(Map.of("Name", "on-failure", "MaximumRetryCount", 2L));

        assertThat(d.call("POST", "/containers/busier/restart?t=0", null).status()).isEqualTo(204);
        // on-failure would start it again after the kill (as docker does): back to no first
        d.object("POST", "/containers/busier/update", "{\"RestartPolicy\":{\"Name\":\"no\"}}");
        assertThat(d.call("POST", "/containers/busier/kill?signal=KILL", null).status()).isEqualTo(204);
        assertThat(d.json("POST", "/containers/busier/wait", null)).isEqualTo(Json.parse("{\"Error\":null,\"StatusCode\":137}"));
        assertThat(d.call("DELETE", "/containers/busier?v=1", null).status()).isEqualTo(204);
        assertThat(d.call("DELETE", "/images/routes/made:1", null).status()).isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void pruneInfoAndDiskUsageCountContainers() throws Exception {
        d.object("POST", "/containers/create?name=keepme", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"Labels\":{\"keep\":\"1\"}}");
        d.create("pruned", "[\"true\"]");
        Map<String, Object> info = d.object("GET", "/info", null);
        assertThat(((Number) info.get("Containers")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) info.get("ContainersStopped")).intValue()).isGreaterThanOrEqualTo(2);
        List<Map<String, Object>> df = (List<Map<String, Object>>) d.object("GET", "/system/df", null).get("Containers");
        assertThat(df).anySatisfy(c -> {
            assertThat(c.get("Names")).isEqualTo(List.of("/keepme"));
            assertThat(c).containsKeys("SizeRw", "SizeRootFs");
        });
        assertError(d.call("POST", "/containers/prune?filters=" + q("{\"bogus\":[\"1\"]}"), null), 400, "invalid filter 'bogus'");
        assertError(d.call("POST", "/containers/prune?filters=" + q("{\"until\":[\"whenever\"]}"), null), 400,
                "invalid filter 'until=whenever'");
        Map<String, Object> report = d.object("POST", "/containers/prune?filters=" + q("{\"label!\":[\"keep\"]}"), null);
        assertThat((List<String>) report.get("ContainersDeleted")).isNotEmpty();
        assertThat(report).containsKey("SpaceReclaimed");
        assertThat(names("?all=1")).contains("/keepme").doesNotContain("/pruned");
        assertThat(d.call("DELETE", "/containers/keepme", null).status()).isEqualTo(204);
    }

    @Test
    @SuppressWarnings("unchecked")
    void volumesAreCreatedListedInspectedRemovedAndPruned() throws Exception {
        Map<String, Object> v = d.object("POST", "/volumes/create", "{\"Name\":\"data1\",\"Labels\":{\"team\":\"a\"}}");
        assertThat(v).containsEntry("Name", "data1").containsEntry("Driver", "local").containsEntry("Scope", "local");
        assertThat((String) v.get("Mountpoint")).endsWith("/volumes/data1/_data");
        assertThat(d.call("POST", "/volumes/create", "{\"Name\":\"data1\"}").status()).as("idempotent").isEqualTo(201);
        d.object("POST", "/volumes/create", "{\"Name\":\"data2\"}");
        assertError(d.call("POST", "/volumes/create", "{\"Name\":\"data3\",\"Driver\":\"nfs\"}"), 404, "plugin \"nfs\" not found");
        assertError(d.call("POST", "/volumes/create", "{\"Name\":\"bad/name\"}"), 400, "includes invalid characters");
        assertError(d.call("POST", "/volumes/create", "{\"Name\":"), 400, "malformed JSON");
        // the local driver's options: kept and shown (Options), checked in dockerd's words; mounted only when used
        Map<String, Object> tmpfs = d.object("POST", "/volumes/create",
                "{\"Name\":\"scratch\",\"DriverOpts\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"size=8m\"}}");
        assertThat(tmpfs.get("Options")).isEqualTo(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=8m"));
        assertThat(d.object("GET", "/volumes/scratch", null).get("Options")).isEqualTo(tmpfs.get("Options"));
        assertThat(d.object("GET", "/volumes/data1", null)).containsEntry("Options", null);
        assertError(d.call("POST", "/volumes/create", "{\"Name\":\"odd\",\"DriverOpts\":{\"foo\":\"bar\"}}"), 400,
                "create odd: invalid option: \"foo\"");
        assertError(d.call("POST", "/volumes/create", "{\"Name\":\"odd\",\"DriverOpts\":{\"type\":\"tmpfs\"}}"), 400,
                "create odd: missing required option: \"device\"");
        assertThat(d.call("DELETE", "/volumes/scratch", null).status()).isEqualTo(204);

        Map<String, Object> all = d.object("GET", "/volumes", null);
        assertThat(all.get("Warnings")).isEqualTo(List.of());
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) all.get("Volumes");
        assertThat(volumes).extracting(x -> x.get("Name")).contains("data1", "data2");
        List<Map<String, Object>> labelled = (List<Map<String, Object>>) d.object("GET", "/volumes?filters="
                + q("{\"label\":[\"team=a\"]}"), null).get("Volumes");
        assertThat(labelled).extracting(x -> x.get("Name")).containsExactly("data1");
        assertError(d.call("GET", "/volumes?filters=" + q("{\"bogus\":[\"1\"]}"), null), 400, "invalid filter 'bogus'");
        assertThat(d.object("GET", "/volumes/data1", null).get("Labels")).isEqualTo(Map.of("team", "a"));
        assertError(d.call("GET", "/volumes/nope", null), 404, "get nope: no such volume");

        String user = (String) d.object("POST", "/containers/create?name=voluser",
                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Binds\":[\"data1:/data\"]}}").get("Id");
        assertError(d.call("DELETE", "/volumes/data1", null), 409, "remove data1: volume is in use - [" + user + "]");
        List<Map<String, Object>> dangling = (List<Map<String, Object>>) d.object("GET", "/volumes?filters="
                + q("{\"dangling\":[\"true\"]}"), null).get("Volumes");
        assertThat(dangling).extracting(x -> x.get("Name")).contains("data2").doesNotContain("data1");
        Map<String, Object> mount = ((List<Map<String, Object>>) d.object("GET", "/containers/voluser/json", null).get("Mounts")).getFirst();
        assertThat(mount).containsEntry("Type", "volume").containsEntry("Name", "data1").containsEntry("Destination", "/data");
        assertThat(names("?all=1&filters=" + q("{\"volume\":[\"data1\"]}"))).containsExactly("/voluser");

        Map<String, Object> pruned = d.object("POST", "/volumes/prune?filters=" + q("{\"all\":[\"true\"]}"), null);
        assertThat((List<String>) pruned.get("VolumesDeleted")).contains("data2").doesNotContain("data1");
        assertThat(d.call("DELETE", "/containers/voluser", null).status()).isEqualTo(204);
        assertThat(d.call("DELETE", "/volumes/data1", null).status()).isEqualTo(204);
        assertError(d.call("DELETE", "/volumes/data1", null), 404, "no such volume");
        // API 1.41 clients (docker 20.10) prune every unused volume, named ones too
        d.object("POST", "/volumes/create", "{\"Name\":\"old1\"}");
        assertThat((List<String>) d.object("POST", "/volumes/prune", null).get("VolumesDeleted")).isNull();
        assertThat((List<String>) d.object("POST", "/v1.41/volumes/prune", null).get("VolumesDeleted")).contains("old1");
        assertThat(d.call("DELETE", "/volumes/data1?force=1", null).status()).isEqualTo(204);
    }
}
