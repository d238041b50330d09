package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.FakeDaemon;
import dev.berth.client.FakeDaemon.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command's requests and output, against a scripted daemon on a unix socket. */
class CommandsTest {
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

    private static String query(FakeDaemon.Seen seen) {
        return seen.query() == null ? "" : URLDecoder.decode(seen.query(), StandardCharsets.UTF_8);
    }

    @Test
    void hostFlagWinsOverDockerHost() {
        daemon.on("GET /v1.47/images/json", Reply.json(200, "[]"));
        TestCli.Result r = new TestCli().env("DOCKER_HOST", "unix:///nonexistent.sock")
                .run("-H", "unix://" + dir.resolve("d.sock"), "images", "-q");
        assertThat(r.status()).as(r.err()).isZero();
        TestCli.Result two = cli().run("-H", "unix:///a", "-H", "unix:///b", "images");
        assertThat(two.status()).isEqualTo(125);
        assertThat(two.err()).isEqualTo("Specify only one -H\n");
    }

    @Test
    void imagesSendsFiltersAndPrintsTheTable() {
        daemon.on("GET /v1.47/images/json", Reply.json(200, """
                [{"Containers":-1,"Created":1795674413,"Id":"sha256:2c538ba80ad3ac85e3c5f32b481e03cca6f630f6b9d0d6ae7b1918833f15d56e",
                  "RepoDigests":null,"RepoTags":["bbx:1","localhost:5000/ns/bbx:v1"],"SharedSize":-1,"Size":1982259,"VirtualSize":1982259}]"""));
        TestCli.Result r = cli().run("images", "-a", "--filter", "dangling=false", "bbx");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                REPOSITORY              TAG       IMAGE ID       CREATED       SIZE
                bbx                     1         2c538ba80ad3   3 hours ago   1.98MB
                localhost:5000/ns/bbx   v1        2c538ba80ad3   3 hours ago   1.98MB
                """);
        assertThat(query(daemon.last())).isEqualTo("all=1&filters={\"dangling\":{\"false\":true},\"reference\":{\"bbx\":true}}");
        TestCli.Result q = cli().run("image", "ls", "-q");
        assertThat(q.out()).isEqualTo("2c538ba80ad3\n2c538ba80ad3\n");
        TestCli.Result bad = cli().run("images", "-f", "dangling");
        assertThat(bad.status()).isEqualTo(125);
        assertThat(bad.err()).isEqualTo("bad format of filter (expected name=value)\n");
    }

    @Test
    void unknownFlagsAreUsageErrors() {
        TestCli.Result r = cli().run("images", "--nope");
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("unknown flag: --nope\n\nUsage:  berth images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
                + "Run 'berth images --help' for more information\n");
        TestCli.Result count = cli().run("tag", "x");
        assertThat(count.status()).isEqualTo(1);
        assertThat(count.err()).startsWith("berth: 'berth tag' requires 2 arguments\n");
    }

    @Test
    void daemonErrorsArePrintedAsDocker() {
        daemon.on("GET /v1.47/images/nope/history", Reply.error(404, "No such image: nope:latest"));
        TestCli.Result r = cli().run("history", "nope");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error response from daemon: No such image: nope:latest\n");
    }

    @Test
    void anAbsentDaemonSaysWhere() {
        TestCli.Result r = new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("gone.sock")).run("images");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Cannot connect to the berth daemon at unix://" + dir.resolve("gone.sock")
                + ". Is the berth daemon running?\n");
    }

    @Test
    void tagNormalizesTheTargetAsTheDockerClient() {
        daemon.on("POST /v1.47/images/small/tag", new Reply(201, null, new byte[0]));
        TestCli.Result r = cli().run("tag", "small", "busybox");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(query(daemon.last())).isEqualTo("repo=docker.io/library/busybox&tag=latest");
        TestCli.Result bad = cli().run("tag", "small", "Bad");
        assertThat(bad.err()).isEqualTo("Error parsing reference: \"Bad\" is not a valid repository/tag: "
                + "invalid reference format: repository name (library/Bad) must be lowercase\n");
        TestCli.Result digest = cli().run("tag", "small", "x@sha256:" + "a".repeat(64));
        assertThat(digest.err()).isEqualTo("refusing to create a tag with a digest reference\n");
    }

    @Test
    void rmiPrintsUntaggedAndDeletedAndGoesOnAfterAnError() {
        daemon.on("DELETE /v1.47/images/bbx:2", Reply.json(200, "[{\"Untagged\":\"bbx:2\"}]"));
        daemon.on("DELETE /v1.47/images/bbx:1", Reply.json(200,
                "[{\"Untagged\":\"bbx:1\"},{\"Deleted\":\"sha256:2c53\"},{\"Deleted\":\"sha256:aaaa\"}]"));
        daemon.on("DELETE /v1.47/images/nope", Reply.error(404, "No such image: nope:latest"));
        TestCli.Result r = cli().run("rmi", "-f", "--no-prune", "bbx:2", "nope", "bbx:1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Untagged: bbx:2\nUntagged: bbx:1\nDeleted: sha256:2c53\nDeleted: sha256:aaaa\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such image: nope:latest\n");
        assertThat(query(daemon.last())).isEqualTo("force=1&noprune=1");
    }

    @Test
    void pruneAsksFirstAndReportsAsDocker() {
        daemon.on("POST /v1.47/images/prune", Reply.json(200,
                "{\"ImagesDeleted\":[{\"Untagged\":\"bbx:1\"},{\"Deleted\":\"sha256:2c53\"}],\"SpaceReclaimed\":1982259}"));
        TestCli.Result no = cli().stdin("n\n".getBytes()).run("image", "prune");
        assertThat(no.status()).isZero();
        assertThat(no.out()).isEqualTo(PruneCommand.DANGLING_WARNING + " [y/N] ");
        assertThat(daemon.seen()).isEmpty();
        TestCli.Result yes = cli().stdin("y\n".getBytes()).run("image", "prune", "-a", "--filter", "until=24h");
        assertThat(yes.status()).as(yes.err()).isZero();
        assertThat(yes.out()).isEqualTo(PruneCommand.ALL_WARNING + " [y/N] "
                + "Deleted Images:\nuntagged: bbx:1\ndeleted: sha256:2c53\n\nTotal reclaimed space: 1.982MB\n");
        assertThat(query(daemon.last())).isEqualTo("filters={\"dangling\":{\"false\":true},\"until\":{\"24h\":true}}");
        daemon.on("POST /v1.47/images/prune", Reply.json(200, "{\"ImagesDeleted\":null,\"SpaceReclaimed\":0}"));
        TestCli.Result none = cli().run("image", "prune", "-f");
        assertThat(none.out()).isEqualTo("Total reclaimed space: 0B\n");
        assertThat(query(daemon.last())).isEqualTo("filters={\"dangling\":{\"true\":true}}");
    }

    @Test
    void loadStreamsTheFileAndShowsMessages() throws Exception {
        Path tar = dir.resolve("x.tar");
        Files.write(tar, new byte[100_000]);
        daemon.on("POST /v1.47/images/load", s -> Reply.json(200,
                "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":1,\"total\":2},\"progress\":\"[=>  ]\",\"id\":\"abc\"}\n"
                + "{\"stream\":\"Loaded image: bbx:1\\n\"}\n{\"stream\":\"got " + s.body().length + "\\n\"}"));
        TestCli.Result r = cli().run("load", "-i", tar.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Loaded image: bbx:1\ngot 100000\n");
        assertThat(query(daemon.last())).isEqualTo("quiet=1");
        daemon.on("POST /v1.47/images/load", Reply.json(200,
                "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}"));
        TestCli.Result broken = cli().stdin(new byte[10]).run("load");
        assertThat(broken.status()).isEqualTo(1);
        assertThat(broken.err()).isEqualTo("unexpected EOF\n");
        TestCli.Result tty = cli().terminal(true).run("load");
        assertThat(tty.err()).isEqualTo("requested load from stdin, but stdin is empty\n");
    }

    @Test
    void saveWritesTheFileOrStdoutButNeverATerminal() throws Exception {
        byte[] tar = "pretend this is a tar".getBytes();
        daemon.on("GET /v1.47/images/get", Reply.bytes("application/x-tar", tar));
        Path out = dir.resolve("out.tar");
        TestCli.Result r = cli().run("save", "-o", out.toString(), "bbx:1", "small");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(tar);
        assertThat(query(daemon.last())).isEqualTo("names=bbx:1&names=small");
        assertThat(cli().run("image", "save", "bbx:1").outBytes()).isEqualTo(tar);
        TestCli.Result tty = cli().terminal(true).run("save", "bbx:1");
        assertThat(tty.status()).isEqualTo(1);
        assertThat(tty.err()).isEqualTo("cowardly refusing to save to a terminal. Use the -o flag or redirect\n");
        TestCli.Result oci = cli().run("save", "--format", "oci", "-o", dir.resolve("oci.tar").toString(), "bbx:1");
        assertThat(oci.status()).isZero();
        assertThat(query(daemon.last())).isEqualTo("format=oci&names=bbx:1");
        TestCli.Result nodir = cli().run("save", "-o", dir.resolve("no/such/x.tar").toString(), "bbx:1");
        assertThat(nodir.err()).startsWith("failed to save image: invalid output path: directory");
    }

    @Test
    void importSendsTheTarballAndChanges() throws Exception {
        daemon.on("POST /v1.47/images/create", s -> Reply.json(200, "{\"status\":\"sha256:" + s.body().length + "\"}"));
        TestCli.Result r = cli().stdin(new byte[4096]).run("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV A=b",
                "-m", "hello", "-", "bbx:1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("sha256:4096\n");
        assertThat(query(daemon.last()))
                .isEqualTo("changes=CMD [\"/bin/sh\"]&changes=ENV A=b&fromSrc=-&message=hello&repo=bbx:1");
        Path tar = dir.resolve("root.tar");
        Files.write(tar, new byte[512]);
        assertThat(cli().run("image", "import", tar.toString()).out()).isEqualTo("sha256:512\n");
        assertThat(cli().run("import", dir.resolve("missing.tar").toString()).err()).contains("no such file");
    }

    @Test
    void bootstrapCallsBerthsRoute() {
        daemon.on("POST /v1.47/berth/images/bootstrap",
                Reply.json(200, "{\"stream\":\"Loaded image: busybox:latest\\n\"}"));
        TestCli.Result r = cli().run("image", "bootstrap", "busybox", "--tag", "bb:1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Loaded image: busybox:latest\n");
        assertThat(query(daemon.last())).isEqualTo("name=busybox&tag=bb:1");
        assertThat(cli().run("image", "bootstrap", "alpine").err()).contains("busybox or debian");
    }

    @Test
    void inspectPrintsTheRawBodiesIndentedAndFormats() {
        daemon.on("GET /v1.47/images/small/json", Reply.json(200, "{\"Id\":\"sha256:5e\",\"Size\":2,\"Config\":{\"Env\":null}}"));
        daemon.on("GET /v1.47/images/nope/json", Reply.error(404, "no such image: nope: No such image: nope:latest"));
        TestCli.Result r = cli().run("image", "inspect", "small", "nope");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("""
                [
                    {
                        "Id": "sha256:5e",
                        "Size": 2,
                        "Config": {
                            "Env": null
                        }
                    }
                ]
                """);
        assertThat(r.err()).isEqualTo("Error response from daemon: no such image: nope: No such image: nope:latest\n");
        assertThat(cli().run("image", "inspect", "-f", "{{.Id}} {{.Size}}", "small").out()).isEqualTo("sha256:5e 2\n");
        TestCli.Result missing = cli().run("image", "inspect", "-f", "{{.Nope}}", "small");
        assertThat(missing.out()).isEqualTo("\n");
        assertThat(missing.err()).isEqualTo(
                "template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"\n");
        TestCli.Result object = cli().run("inspect", "nope");
        assertThat(object.out()).isEqualTo("[]\n");
        assertThat(object.err()).isEqualTo("Error: No such object: nope\n");
        assertThat(cli().run("inspect", "--format", "{{.Id}}", "small").out()).isEqualTo("sha256:5e\n");
    }

    @Test
    void versionLaysOutTheServerAsDocker() {
        daemon.apiVersion("1.41");
        daemon.on("GET /v1.41/version", Reply.json(200, """
                {"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24","Details":{"ApiVersion":"1.41",
                "Arch":"amd64","BuildTime":"2026-05-07T21:09:36.000000000+00:00","Experimental":"false","GitCommit":"5d6db84",
                "GoVersion":"go1.19.8","KernelVersion":"6.1","MinAPIVersion":"1.12","Os":"linux"}},
                {"Name":"runc","Version":"1.1.5","Details":{"GitCommit":"abc"}}]}"""));
        TestCli.Result r = cli().run("version");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains(" API version:       1.41 (downgraded from 1.47)\n").endsWith("""

                Server:
                 Engine:
                  Version:          20.10.24
                  API version:      1.41 (minimum version 1.12)
                  Go version:       go1.19.8
                  Git commit:       5d6db84
                  Built:            Thu May  7 21:09:36 2026
                  OS/Arch:          linux/amd64
                  Experimental:     false
                 runc:
                  Version:          1.1.5
                  GitCommit:        abc
                """);
    }

    @Test
    void systemDfVerboseHasEverySection() {
        daemon.on("GET /v1.47/system/df", Reply.json(200, """
                {"LayersSize":2,"Images":[{"Containers":0,"Created":1795674413,"Id":"sha256:5e4db7c76cafc47a25d79ba0e865ba20616b9533bc4d79c6eee572fcfec91f3b",
                "RepoTags":["small:latest","small:2"],"SharedSize":0,"Size":2}],"Containers":[],"Volumes":[],"BuildCache":null,"BuilderSize":0}"""));
        TestCli.Result r = cli().run("system", "df", "-v");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Images space usage:

                REPOSITORY   TAG       IMAGE ID       CREATED       SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS
                small        latest    5e4db7c76caf   3 hours ago   2B        0B            2B            0

                Containers space usage:

                CONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES

                Local Volumes space usage:

                VOLUME NAME   LINKS     SIZE

                Build cache usage: 0B

                CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED
                """);
    }
}
