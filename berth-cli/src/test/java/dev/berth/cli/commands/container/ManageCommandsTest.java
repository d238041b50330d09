package dev.berth.cli.commands.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.FakeDaemon;
import dev.berth.client.FakeDaemon.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container and volume commands' requests, output, errors and exit statuses against a scripted daemon. */
class ManageCommandsTest {
    private static final String PS = """
            [{"Id":"a3a94fba1c83583329f42dec97285d7c908603e5bc0cf79f6c537476c15dc913","Names":["/web"],"Image":"busybox",
              "ImageID":"sha256:093e957a4e77","Command":"sleep 3600","Created":1795684913,"State":"running",
              "Status":"Up 5 minutes (healthy)","Ports":[],"Labels":{},"SizeRw":0,"SizeRootFs":1985994}]""";

    @TempDir
    Path dir;

    private FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = FakeDaemon.unix(dir.resolve("d.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private TestCli cli() {
        return new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"));
    }

    private String query() {
        String q = daemon.last().query();
        return q == null ? "" : URLDecoder.decode(q, StandardCharsets.UTF_8);
    }

    @Test
    void psPrintsDockersTableAndAsksForWhatTheFlagsSay() {
        daemon.on("GET /v1.47/containers/json", Reply.json(200, PS));
        TestCli.Result r = cli().run("ps", "-a", "--filter", "status=running");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS                   PORTS     NAMES
                a3a94fba1c83   busybox   "sleep 3600"   5 minutes ago   Up 5 minutes (healthy)             web
                """);
        assertThat(query()).isEqualTo("all=1&filters={\"status\":{\"running\":true}}");
        cli().run("ps", "-l");
        assertThat(query()).isEqualTo("limit=1");
        cli().run("container", "ls", "-n", "3", "-s");
        assertThat(query()).isEqualTo("limit=3&size=1");
        TestCli.Result sized = cli().run("ps", "--format", "{{.Names}} {{.Size}}");
        assertThat(query()).isEqualTo("size=1");
        assertThat(sized.out()).isEqualTo("web 0B (virtual 1.99MB)\n");
        TestCli.Result quiet = cli().run("ps", "-q", "--format", "{{.Names}}");
        assertThat(quiet.out()).isEqualTo("a3a94fba1c83\n");
        assertThat(quiet.err()).isEqualTo("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
    }

    @Test
    void psRefusesBadFlagsAndTemplatesAsDocker() {
        TestCli.Result filter = cli().run("ps", "-f", "bogus");
        assertThat(filter.status()).isEqualTo(125);
        assertThat(filter.err()).startsWith("invalid argument \"bogus\" for \"-f, --filter\" flag: bad format of filter "
                + "(expected name=value)\n\nUsage:  berth ps [OPTIONS]\n");
        TestCli.Result last = cli().run("ps", "-n", "x");
        assertThat(last.status()).isEqualTo(125);
        assertThat(last.err()).startsWith("invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": "
                + "invalid syntax\n");
        TestCli.Result parse = cli().run("ps", "--format", "{{.Foo");
        assertThat(parse.status()).isEqualTo(1);
        assertThat(parse.err()).isEqualTo("failed to parse template: template: :1: unclosed action\n");
        TestCli.Result exec = cli().run("ps", "--format", "{{.Nope}}");
        assertThat(exec.err()).isEqualTo("failed to execute template: template: :1:2: executing \"\" at <.Nope>: "
                + "can't evaluate field Nope in type *formatter.ContainerContext\n");
        assertThat(daemon.seen()).noneMatch(s -> s.path().endsWith("/containers/json"));
    }

    @Test
    void severalContainersPrintEachSuccessAndReportTheFailuresTogether() {
        daemon.on("POST /v1.47/containers/web/stop", Reply.bytes("text/plain", new byte[0]));
        daemon.on("POST /v1.47/containers/nope/stop", Reply.error(404, "No such container: nope"));
        daemon.on("POST /v1.47/containers/db/stop", Reply.bytes("text/plain", new byte[0]));
        TestCli.Result r = cli().run("stop", "-t", "3", "-s", "SIGINT", "web", "nope", "db");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("web\ndb\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: nope\n");
        assertThat(query()).isEqualTo("signal=SIGINT&t=3");
        TestCli.Result badTimeout = cli().run("container", "stop", "-t", "x", "web");
        assertThat(badTimeout.status()).isEqualTo(125);
        assertThat(badTimeout.err()).startsWith("invalid argument \"x\" for \"-t, --timeout\" flag: strconv.ParseInt: "
                + "parsing \"x\": invalid syntax\n\nUsage:  berth container stop [OPTIONS] CONTAINER [CONTAINER...]\n");
        TestCli.Result none = cli().run("stop");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).startsWith("berth: 'berth stop' requires at least 1 argument\n");
    }

    @Test
    void rmTrimsSlashesAndSendsItsFlags() {
        daemon.on("DELETE /v1.47/containers/web", Reply.bytes("text/plain", new byte[0]));
        TestCli.Result r = cli().run("rm", "-f", "-v", "/web/");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("web\n");
        assertThat(query()).isEqualTo("force=1&v=1");
        TestCli.Result empty = cli().run("container", "rm", "/");
        assertThat(empty.status()).isEqualTo(1);
        assertThat(empty.err()).isEqualTo("Container name cannot be empty\n");
    }

    @Test
    void updateSendsTheResourcesGivenAndRefusesBadValues() {
        daemon.on("POST /v1.47/containers/web/update", Reply.json(200, "{\"Warnings\":[\"careful\"]}"));
        TestCli.Result r = cli().run("update", "-m", "64m", "--memory-swap", "-1", "--cpus", "1.5", "-c", "512",
                "--cpuset-cpus", "0-1", "--pids-limit", "50", "--restart", "on-failure:3", "web");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("web\n");
        assertThat(r.err()).isEqualTo("careful\n");
        assertThat(daemon.last().bodyText()).isEqualTo("{\"CpuShares\":512,\"NanoCpus\":1500000000,\"CpusetCpus\":\"0-1\","
                + "\"Memory\":67108864,\"MemorySwap\":-1,\"PidsLimit\":50,"
                + "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}");
        TestCli.Result memory = cli().run("update", "-m", "64x", "web");
        assertThat(memory.status()).isEqualTo(125);
        assertThat(memory.err()).startsWith("invalid argument \"64x\" for \"-m, --memory\" flag: invalid suffix: 'x'\n");
        TestCli.Result cpus = cli().run("update", "--cpus", "abc", "web");
        assertThat(cpus.err()).startsWith("invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number\n");
        TestCli.Result nothing = cli().run("update", "web");
        assertThat(nothing.status()).isEqualTo(1);
        assertThat(nothing.err()).isEqualTo("you must provide one or more flags when using this command\n");
        TestCli.Result retries = cli().run("update", "--restart", "on-failure:x", "web");
        assertThat(retries.err()).isEqualTo("invalid restart policy format: maximum retry count must be an integer\n");
    }

    @Test
    void renameTopDiffAndCommit() {
        daemon.on("POST /v1.47/containers/old/rename", Reply.error(404, "No such container: old"));
        TestCli.Result rename = cli().run("rename", "old", "new");
        assertThat(rename.status()).isEqualTo(1);
        assertThat(rename.err()).isEqualTo("Error response from daemon: No such container: old\n"
                + "Error: failed to rename container named old\n");
        assertThat(query()).isEqualTo("name=new");

        daemon.on("GET /v1.47/containers/web/top", Reply.json(200,
                "{\"Titles\":[\"PID\",\"COMMAND\"],\"Processes\":[[\"17212\",\"sleep 3600\"]]}"));
        TestCli.Result top = cli().run("top", "web", "-o", "pid,args");
        assertThat(top.status()).as(top.err()).isZero();
        assertThat(top.out()).isEqualTo("PID                 COMMAND\n17212               sleep 3600\n");
        assertThat(query()).isEqualTo("ps_args=-o pid,args");

        daemon.on("GET /v1.47/containers/web/changes", Reply.json(200,
                "[{\"Kind\":0,\"Path\":\"/etc\"},{\"Kind\":1,\"Path\":\"/etc/x\"},{\"Kind\":2,\"Path\":\"/tmp/y\"}]"));
        assertThat(cli().run("diff", "web").out()).isEqualTo("C /etc\nA /etc/x\nD /tmp/y\n");

        daemon.on("POST /v1.47/commit", Reply.json(201, "{\"Id\":\"sha256:41219d02\"}"));
        TestCli.Result commit = cli().run("commit", "-m", "msg", "-a", "me", "-c", "ENV A=b", "-p=false", "web", "snap:1");
        assertThat(commit.out()).isEqualTo("sha256:41219d02\n");
        assertThat(query()).isEqualTo("author=me&changes=ENV A=b&comment=msg&container=web&pause=0"
                + "&repo=docker.io/library/snap&tag=1");
        TestCli.Result bad = cli().run("commit", "web", "Bad:x");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).startsWith("invalid reference format");
    }

    @Test
    void pruneAsksFirstAndVolumePruneFollowsTheApiVersion() {
        TestCli.Result no = cli().stdin("n\n".getBytes()).run("container", "prune");
        assertThat(no.status()).isZero();
        assertThat(no.out()).isEqualTo("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
        daemon.on("POST /v1.47/containers/prune", Reply.json(200,
                "{\"ContainersDeleted\":[\"a3a94fba\",\"44e22764\"],\"SpaceReclaimed\":1234}"));
        TestCli.Result yes = cli().stdin("y\n".getBytes()).run("container", "prune", "--filter", "until=24h");
        assertThat(yes.out()).endsWith("[y/N] Deleted Containers:\na3a94fba\n44e22764\n\nTotal reclaimed space: 1.234kB\n");
        assertThat(query()).isEqualTo("filters={\"until\":{\"24h\":true}}");

        daemon.on("POST /v1.47/volumes/prune", Reply.json(200, "{\"VolumesDeleted\":null,\"SpaceReclaimed\":0}"));
        TestCli.Result all = cli().run("volume", "prune", "-a", "-f");
        assertThat(all.out()).isEqualTo("Total reclaimed space: 0B\n");
        assertThat(query()).isEqualTo("filters={\"all\":{\"true\":true}}");
        daemon.apiVersion("1.41");
        TestCli.Result old = cli().run("volume", "prune", "-a", "-f");
        assertThat(old.status()).isEqualTo(1);
        assertThat(old.err()).isEqualTo("\"--all\" requires API version 1.42, but the Docker daemon API version is 1.41\n");
    }

    @Test
    void volumeCommands() {
        daemon.on("POST /v1.47/volumes/create", Reply.json(201, "{\"Name\":\"v1\",\"Driver\":\"local\"}"));
        TestCli.Result create = cli().run("volume", "create", "--label", "x=y", "--label", "flag", "-o", "type=tmpfs", "v1");
        assertThat(create.out()).isEqualTo("v1\n");
        assertThat(daemon.last().bodyText()).isEqualTo(
                "{\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"tmpfs\"},\"Labels\":{\"flag\":\"\",\"x\":\"y\"},\"Name\":\"v1\"}");
        daemon.on("GET /v1.47/volumes", Reply.json(200, """
                {"Volumes":[{"Name":"v10","Driver":"local","Labels":{"x":"y"}},{"Name":"v2","Driver":"local"}],"Warnings":null}"""));
        assertThat(cli().run("volume", "ls").out()).isEqualTo("DRIVER    VOLUME NAME\nlocal     v2\nlocal     v10\n");
        assertThat(cli().run("volume", "ls", "-q").out()).isEqualTo("v2\nv10\n");
        assertThat(cli().run("volume", "ls", "--format", "table {{.Name}}\\t{{.Label \"com.x-y\"}}").out())
                .isEqualTo("VOLUME NAME   x y\nv2            \nv10           \n");
        daemon.on("DELETE /v1.47/volumes/v1", Reply.bytes("text/plain", new byte[0]));
        daemon.on("DELETE /v1.47/volumes/nope", Reply.error(404, "get nope: no such volume"));
        TestCli.Result rm = cli().run("volume", "rm", "-f", "v1", "nope");
        assertThat(rm.status()).isEqualTo(1);
        assertThat(rm.out()).isEqualTo("v1\n");
        assertThat(rm.err()).isEqualTo("Error response from daemon: get nope: no such volume\n");
    }

    @Test
    void inspectTriesEachKindAndTypeNarrowsIt() {
        daemon.on("GET /v1.47/containers/v1/json", Reply.error(404, "No such container: v1"));
        daemon.on("GET /v1.47/images/v1/json", Reply.error(404, "No such image: v1:latest"));
        daemon.on("GET /v1.47/networks/v1", Reply.error(404, "network v1 not found"));
        daemon.on("GET /v1.47/volumes/v1", Reply.json(200, "{\"Name\":\"v1\",\"Driver\":\"local\"}"));
        TestCli.Result any = cli().run("inspect", "-f", "{{.Name}}/{{.Driver}}", "v1");
        assertThat(any.out()).isEqualTo("v1/local\n");
        TestCli.Result typed = cli().run("inspect", "--type", "container", "v1");
        assertThat(typed.status()).isEqualTo(1);
        assertThat(typed.out()).isEqualTo("[]\n");
        assertThat(typed.err()).isEqualTo("Error response from daemon: No such container: v1\n");
        TestCli.Result bogus = cli().run("inspect", "--type", "bogus", "v1");
        assertThat(bogus.err()).startsWith("unknown type: \"bogus\": must be one of \"config\", \"container\"");
        daemon.on("GET /v1.47/containers/web/json", Reply.json(200, "{\"Name\":\"/web\",\"SizeRw\":3}"));
        TestCli.Result sized = cli().run("container", "inspect", "-s", "-f", "{{.Name}} {{.SizeRw}}", "web");
        assertThat(sized.out()).isEqualTo("/web 3\n");
        assertThat(query()).isEqualTo("size=1");
    }

    @Test
    void statsWithoutStreamPrintsOneTableOrTheDaemonsErrors() {
        daemon.on("GET /v1.47/containers/web/stats", Reply.json(200, """
                {"name":"/web","id":"a3a94fba1c83583329f42dec97285d7c908603e5bc0cf79f6c537476c15dc913",
                 "cpu_stats":{"cpu_usage":{"total_usage":300000000},"system_cpu_usage":20000000000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":100000000},"system_cpu_usage":18000000000},
                 "memory_stats":{"usage":331776,"limit":25276510208,"stats":{"total_inactive_file":0}},"pids_stats":{"current":1}}"""
                .replace("\n", "")));
        daemon.on("GET /v1.47/containers/nope/stats", Reply.error(404, "No such container: nope"));
        TestCli.Result r = cli().run("stats", "--no-stream", "web");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS
                a3a94fba1c83   web       20.00%    324KiB / 23.54GiB   0.00%     0B / 0B   0B / 0B     1
                """);
        assertThat(query()).isEqualTo("stream=0");
        TestCli.Result json = cli().run("container", "stats", "--no-stream", "--format", "json", "web");
        assertThat(json.out()).isEqualTo("{\"BlockIO\":\"0B / 0B\",\"CPUPerc\":\"20.00%\",\"Container\":\"web\","
                + "\"ID\":\"a3a94fba1c83\",\"MemPerc\":\"0.00%\",\"MemUsage\":\"324KiB / 23.54GiB\",\"Name\":\"web\","
                + "\"NetIO\":\"0B / 0B\",\"PIDs\":\"1\"}\n");
        TestCli.Result missing = cli().run("stats", "--no-stream", "web", "nope");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("Error response from daemon: No such container: nope\n");
    }

    @Test
    void cpRefusesWhatDockerRefuses() {
        assertThat(cli().run("cp", "a", "b").err()).isEqualTo("must specify at least one container source\n");
        assertThat(cli().run("cp", "web:/a", "db:/b").err()).isEqualTo("copying between containers is not supported\n");
        assertThat(cli().run("cp", "", "web:/b").err()).isEqualTo("source can not be empty\n");
        TestCli.Result missing = cli().run("cp", dir.resolve("nope").toString(), "web:/tmp");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("lstat " + dir.resolve("nope") + ": no such file or directory\n");
        TestCli.Result usage = cli().run("container", "cp", "web:/x");
        assertThat(usage.err()).contains("Usage:  berth container cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n"
                + "\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n");
    }
}
