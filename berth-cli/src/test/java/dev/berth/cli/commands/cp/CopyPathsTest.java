package dev.berth.cli.commands.cp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyPathsTest {
    @Test
    void splitKeepsTheCurrentDirectoryMarker() {
        assertThat(CopyPaths.splitDirEntry("/tmp/src")).isEqualTo(new CopyPaths.DirEntry("/tmp", "src"));
        assertThat(CopyPaths.splitDirEntry("/tmp/src/")).isEqualTo(new CopyPaths.DirEntry("/tmp", "src"));
        assertThat(CopyPaths.splitDirEntry("/tmp/src/.")).isEqualTo(new CopyPaths.DirEntry("/tmp/src", "."));
        assertThat(CopyPaths.splitDirEntry("/a")).isEqualTo(new CopyPaths.DirEntry("/", "a"));
        assertThat(CopyPaths.splitDirEntry("a")).isEqualTo(new CopyPaths.DirEntry(".", "a"));
    }

    @Test
    void trailingSlashOrDotAssertsADirectory() {
        assertThat(CopyPaths.assertsDirectory("/x/")).isTrue();
        assertThat(CopyPaths.assertsDirectory("/x/.")).isTrue();
        assertThat(CopyPaths.assertsDirectory("/x")).isFalse();
        assertThat(CopyPaths.preserveTrailing("/a/b", "b/.")).isEqualTo("/a/b/.");
        assertThat(CopyPaths.preserveTrailing("/a/b", "b/")).isEqualTo("/a/b/");
    }

    @Test
    void cleanFollowsGo() {
        assertThat(CopyPaths.clean("/a//b/./c/..")).isEqualTo("/a/b");
        assertThat(CopyPaths.clean("../x/../..")).isEqualTo("../..");
        assertThat(CopyPaths.clean("/..")).isEqualTo("/");
        assertThat(CopyPaths.clean("")).isEqualTo(".");
    }

    @Test
    void rebaseRenamesOnlyTheEntryAndWhatIsUnderIt() {
        assertThat(CopyPaths.rebase("src", "src", "new")).isEqualTo("new");
        assertThat(CopyPaths.rebase("src/a.txt", "src", "new")).isEqualTo("new/a.txt");
        assertThat(CopyPaths.rebase("srcx/a", "src", "new")).isEqualTo("srcx/a");
        String[] followed = CopyPaths.rebaseName("/c/srclink/", "/c/src");
        assertThat(followed).containsExactly("/c/src/", "srclink");
    }

    @Test
    void containerArgumentsAsDockerSplitsThem() {
        assertThat(CpCommand.Arg.parse("web:/etc")).isEqualTo(new CpCommand.Arg("web", "/etc"));
        assertThat(CpCommand.Arg.parse("/abs:x")).isEqualTo(new CpCommand.Arg("", "/abs:x"));
        assertThat(CpCommand.Arg.parse("./file:name")).isEqualTo(new CpCommand.Arg("", "./file:name"));
        assertThat(CpCommand.Arg.parse("plain")).isEqualTo(new CpCommand.Arg("", "plain"));
        assertThat(CpCommand.Arg.parse("web:")).isEqualTo(new CpCommand.Arg("web", ""));
    }

    @Test
    void pathStatModeBitsAreGos() {
        String dir = java.util.Base64.getEncoder().encodeToString(
                "{\"name\":\"tmp\",\"size\":4096,\"mode\":2147484159,\"mtime\":\"2026-11-26T10:00:00Z\",\"linkTarget\":\"\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        PathStat stat = PathStat.decode(dir);
        assertThat(stat.isDir()).isTrue();
        assertThat(stat.isSymlink()).isFalse();
        assertThat(stat.badFileMode()).isNull();
        assertThat(new PathStat("null", 0, (1L << 26) | (1L << 21) | 0666, "").badFileMode()).isEqualTo("got a device");
    }
}
