package dev.berth.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.it.ReferenceDaemon.Run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/berth and the real docker CLI against the same daemon: for each command, the output (and
 * the exit status and stderr) must be the same bytes. The daemon is BERTH_COMPARE_HOST (or
 * -Dberth.compareHost) when given, e.g. a berthd; otherwise a dockerd this test starts with its
 * own data root (root only). Images with fixed creation dates are loaded first, so that the
 * "CREATED" columns do not depend on the clock. Skips, saying why, without docker or a daemon.
 */
class DockerCompatibilityIT {
    private static ReferenceDaemon daemon;
    private static Path work;
    private static String host;
    private static Path archive;
    private static Path danglingArchive;

    @BeforeAll
    static void daemon() throws Exception {
        daemon = ReferenceDaemon.start("berth-cli-it-");
        work = daemon.work;
        host = daemon.host;
        seed();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Three images with fixed dates (one shares a layer), one more tag, and a dangling image kept aside. */
    private static void seed() throws Exception {
        DockerArchive a = new DockerArchive(work.resolve("archive"));
        String[] base = a.layer(Map.of("bin/hello", "hello\n".repeat(500), "etc/os-release", "ID=berth\n"));
        String[] top = a.layer(Map.of("srv/data", "x".repeat(300_000)));
        String oldConfig = """
                {"architecture":"amd64","os":"linux","created":"2020-01-02T03:04:05Z","author":"berth",\
                "config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":{"a":"<b>","org.example":"x"}},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},\
                "history":[{"created":"2020-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:0123456789abcdef0123 in / "},\
                {"created":"2020-01-02T03:04:06Z","created_by":"/bin/sh -c #(nop)  CMD [\\"sh\\"] and a\\ttab and a long, long tail","empty_layer":true,"comment":"a comment"}]}"""
                .formatted(base[1]);
        a.image(oldConfig, List.of(base[0]), List.of("old:1", "old:2", "localhost:5000/ns/old:v1"));
        String midCreated = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String midConfig = """
                {"architecture":"amd64","os":"linux","created":"%s",\
                "config":{"Env":["PATH=/bin"],"Entrypoint":["/bin/hello"],"WorkingDir":"/srv"},\
                "rootfs":{"type":"layers","diff_ids":["%s","%s"]},\
                "history":[{"created":"2020-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:0123456789abcdef0123 in / "},\
                {"created":"%s","created_by":"/bin/sh -c dd if=/dev/zero of=/srv/data"}]}"""
                .formatted(midCreated, base[1], top[1], midCreated);
        a.image(midConfig, List.of(base[0], top[0]), List.of("mid:latest"));
        archive = a.pack("seed.tar");
        assertThat(docker("load", "-i", archive.toString()).status()).isZero();

        DockerArchive d = new DockerArchive(work.resolve("dangling"));
        String[] lone = d.layer(Map.of("lonely", "y".repeat(12_345)));
        d.image("""
                {"architecture":"amd64","os":"linux","created":"2021-06-01T00:00:00Z","config":{},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"2021-06-01T00:00:00Z"}]}"""
                .formatted(lone[1]), List.of(lone[0]), null);
        danglingArchive = d.pack("dangling.tar");
    }

    private static Run docker(String... args) throws IOException, InterruptedException {
        return daemon.docker(args);
    }

    private static Run berth(String... args) throws IOException, InterruptedException {
        return daemon.berth(args);
    }

    private static Run run(List<String> command, Path stdin) throws IOException, InterruptedException {
        return daemon.run(command, stdin, work);
    }

    /**
     * Like {@link #same}, but the lines after the first may come in any order: docker lists an
     * image's repositories in a Go map's order, which changes from run to run.
     */
    private static void sameRows(String... args) throws Exception {
        Run expected = docker(args);
        Run actual = berth(args);
        assertThat(sortedRows(actual).all()).as("berth %s", String.join(" ", args)).isEqualTo(sortedRows(expected).all());
    }

    private static Run sortedRows(Run r) {
        List<String> lines = new ArrayList<>(List.of(r.out().split("\n", -1)));
        if (lines.size() > 2) {
            List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
            rows.sort(null);
            lines = new ArrayList<>(List.of(lines.getFirst()));
            lines.addAll(rows);
        }
        return new Run(r.status(), String.join("\n", lines), r.err());
    }

    /** The same command through both clients: identical status, stdout and stderr. */
    private static void same(String... args) throws Exception {
        Run expected = docker(args);
        Run actual = berth(args);
        assertThat(actual.all()).as("berth %s", String.join(" ", args)).isEqualTo(expected.all());
    }

    @Test
    void imageListings() throws Exception {
        sameRows("images");
        sameRows("images", "-a");
        sameRows("images", "--digests");
        sameRows("images", "-q");
        sameRows("images", "--no-trunc");
        sameRows("images", "old");
        sameRows("images", "old:2");
        sameRows("images", "--filter", "dangling=true");
        sameRows("images", "--filter", "before=mid");
        sameRows("images", "--filter", "label=a");
        sameRows("images", "--format", "{{json .}}");
        sameRows("images", "--format", "table {{.Repository}}\\t{{.Tag}}\\t{{.VirtualSize}}\\t{{.CreatedAt}}");
        sameRows("images", "--format", "{{.Repository}}:{{.Tag}} {{.Nope}}");
        sameRows("images", "--format", "{{.Foo");
        sameRows("image", "ls", "-a", "--format", "{{.ID}} {{upper .Repository}} {{.Size}}");
    }

    @Test
    void history() throws Exception {
        same("history", "old:1");
        same("history", "mid");
        same("history", "--no-trunc", "old:1");
        same("history", "-H=false", "mid");
        same("history", "-q", "mid");
        same("history", "--format", "{{json .}}", "old:1");
        same("image", "history", "--format", "table {{.ID}}\\t{{.CreatedBy}}", "mid");
        same("history", "nope");
    }

    @Test
    void inspect() throws Exception {
        same("image", "inspect", "old:1");
        same("image", "inspect", "old:1", "mid");
        same("image", "inspect", "nope");
        same("image", "inspect", "old:1", "nope");
        same("image", "inspect", "--format", "{{.Id}} {{.Config.Cmd}} {{index .Config.Labels \"a\"}} {{len .RepoTags}}", "old:1");
        same("image", "inspect", "--format", "{{json .Config.Labels}}", "old:1");
        same("image", "inspect", "--format", "{{range .RepoTags}}{{.}},{{end}}", "old:1");
        same("image", "inspect", "--format", "{{.Nope}}", "old:1");
        same("inspect", "old:1");
        same("inspect", "nope");
        same("inspect", "--format", "{{.Os}}/{{.Architecture}}", "mid");
    }

    @Test
    void systemCommands() throws Exception {
        same("system", "df");
        same("system", "df", "-v");
        same("system", "df", "--format", "{{json .}}");
        Run expected = docker("version");
        Run actual = berth("version");
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(serverPart(actual.out())).isEqualTo(serverPart(expected.out()));
        same("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}/{{.Server.Arch}}");
        Run info = docker("info");
        Run ours = berth("info");
        assertThat(normalizeInfo(ours.out())).isEqualTo(normalizeInfo(info.out()));
    }

    private static String serverPart(String out) {
        int at = out.indexOf("\nServer:");
        return at < 0 ? "(no server part)\n" + out : out.substring(at);
    }

    /** Info without the client block, and with the runtimes in order (dockerd lists a Go map). */
    private static String normalizeInfo(String out) {
        StringBuilder b = new StringBuilder();
        for (String line : serverPart(out).split("\n", -1)) {
            if (line.startsWith(" Runtimes: ")) {
                List<String> names = new ArrayList<>(List.of(line.substring(11).split(" ")));
                names.sort(null);
                line = " Runtimes: " + String.join(" ", names);
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    @Test
    void tagAndRemove() throws Exception {
        assertThat(docker("tag", "old:1", "t:1").status()).isZero();
        Run dockerRmi = docker("rmi", "t:1");
        assertThat(docker("tag", "old:1", "t:1").status()).isZero();
        assertThat(berth("rmi", "t:1").all()).isEqualTo(dockerRmi.all());
        same("rmi", "nope");
        same("tag", "old:1", "Bad");
        same("tag", "nope", "x:1");
        Run tag = berth("tag", "old:1", "t2");
        assertThat(tag.all()).isEqualTo("status 0\n--- stdout\n--- stderr\n");
        assertThat(docker("image", "inspect", "--format", "{{json .RepoTags}}", "old:1").out()).contains("\"t2:latest\"");
        Run rm = berth("image", "rm", "t2");
        assertThat(rm.out()).isEqualTo("Untagged: t2:latest\n");
    }

    @Test
    void loadSaveAndPrune() throws Exception {
        same("load", "-i", archive.toString());
        same("load", "-q", "-i", archive.toString());
        Run fromStdin = run(List.of(Path.of(System.getProperty("berth.repo", "..")).resolve("bin/berth").toString(),
                "-H", host, "load"), archive);
        assertThat(fromStdin.all()).isEqualTo(docker("load", "-i", archive.toString()).all());

        Path ours = work.resolve("ours.tar");
        Path theirs = work.resolve("theirs.tar");
        // one image with one tag: dockerd writes several in a Go map's order
        assertThat(berth("save", "-o", ours.toString(), "mid").status()).isZero();
        assertThat(docker("save", "-o", theirs.toString(), "mid").status()).isZero();
        assertThat(DockerArchive.sha256(Files.readAllBytes(ours))).isEqualTo(DockerArchive.sha256(Files.readAllBytes(theirs)));
        Path both = work.resolve("both.tar");
        assertThat(berth("save", "-o", both.toString(), "old:1", "mid").status()).isZero();
        assertThat(docker("load", "-i", both.toString()).out()).contains("Loaded image: mid:latest\n")
                .contains("Loaded image: old:1\n");
        Run toStdout = run(List.of(Path.of(System.getProperty("berth.repo", "..")).resolve("bin/berth").toString(),
                "-H", host, "save", "old:1"), null);
        assertThat(toStdout.out().length()).isPositive();

        assertThat(docker("load", "-i", danglingArchive.toString()).status()).isZero();
        Run dockerPrune = docker("image", "prune", "-f");
        assertThat(dockerPrune.out()).startsWith("Deleted Images:\n");
        assertThat(docker("load", "-i", danglingArchive.toString()).status()).isZero();
        assertThat(berth("image", "prune", "-f").all()).isEqualTo(dockerPrune.all());
        same("image", "prune", "-f");
    }

    @Test
    void importMakesAnImageWithTheChanges() throws Exception {
        Path rootfs = Files.createDirectories(work.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("hostname"), "imported\n");
        Path tar = work.resolve("rootfs.tar");
        Process p = new ProcessBuilder("tar", "-C", work.resolve("rootfs").toString(), "-cf", tar.toString(), ".").start();
        assertThat(p.waitFor()).isZero();
        Run r = berth("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV A=b", "-m", "from berth", tar.toString(), "imp:1");
        assertThat(r.status()).as(r.all()).isZero();
        assertThat(r.out()).matches("sha256:[0-9a-f]{64}\n");
        Run check = docker("image", "inspect", "--format", "{{.Comment}}|{{json .Config.Cmd}}|{{json .Config.Env}}", "imp:1");
        assertThat(check.out()).isEqualTo("from berth|[\"/bin/sh\"]|[\"A=b\"]\n");
        Run stdin = run(List.of(Path.of(System.getProperty("berth.repo", "..")).resolve("bin/berth").toString(),
                "-H", host, "import", "-", "imp:2"), tar);
        assertThat(stdin.out()).as(stdin.all()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(docker("rmi", "imp:1", "imp:2").status()).isZero();
    }

    @Test
    void usageErrorsReadAsDockers() throws Exception {
        // not "images a b": docker 28 prints "SRun 'docker images --help'" there, a typo of its own
        for (String[] args : List.of(new String[] {"images", "--nope"}, new String[] {"images", "-z"},
                new String[] {"history"}, new String[] {"tag", "x"},
                new String[] {"nope"}, new String[] {"image", "nope"}, new String[] {"import"}, new String[] {"rmi"})) {
            Run docker = docker(args);
            Run ours = berth(args);
            assertThat(ours.all()).as("berth %s", String.join(" ", args))
                    .isEqualTo(docker.all().replace("docker", "berth"));
        }
    }
}
