package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Marks by path and inode in a plain directory, without root. */
class ParentMarksTest {
    @TempDir
    Path tmp;

    private static final Path BERTH = Path.of("/sys/fs/cgroup/cpu/berth");

    @Test
    void aMarkNamesOnePathInOneIncarnation() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        marks.mark(BERTH, 41);
        marks.mark(BERTH, 41); // twice is once
        assertThat(marks.isMarked(BERTH, 41)).isTrue();
        assertThat(marks.isMarked(BERTH, 42)).as("made again: another inode").isFalse();
        assertThat(marks.isMarked(BERTH.resolveSibling("other"), 41)).isFalse();
        assertThat(tmp.resolve("marks").resolve("%2Fsys%2Ffs%2Fcgroup%2Fcpu%2Fberth@41")).isRegularFile();
    }

    @Test
    void theLastUnmarkTakesTheDirectoryAlong() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        marks.mark(BERTH, 41);
        marks.mark(BERTH, 42);
        marks.unmark(BERTH, 41);
        assertThat(marks.isMarked(BERTH, 42)).as("the next incarnation's mark stays").isTrue();
        marks.unmark(BERTH, 42);
        marks.unmark(BERTH, 42); // already gone is fine
        assertThat(tmp.resolve("marks")).doesNotExist();
        marks.mark(BERTH, 43);
        assertThat(marks.isMarked(BERTH, 43)).as("made again when needed").isTrue();
    }

    @Test
    void aPathTooLongForAFileNameIsHashed() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        Path deep = Path.of("/sys/fs/cgroup/memory/" + "level/".repeat(60) + "berth");
        marks.mark(deep, 7);
        assertThat(marks.isMarked(deep, 7)).isTrue();
        assertThat(tmp.resolve("marks").toFile().list()).singleElement().asString().startsWith("sha256-").endsWith("@7");
    }

    @Test
    void noMarksAndAnUnwritableDirectoryMarkNothingAndFailNothing() throws Exception {
        ParentMarks.none().mark(BERTH, 1);
        assertThat(ParentMarks.none().isMarked(BERTH, 1)).isFalse();
        Files.writeString(tmp.resolve("file"), "in the way");
        ParentMarks blocked = ParentMarks.in(tmp.resolve("file").resolve("marks"));
        blocked.mark(BERTH, 1);
        assertThat(blocked.isMarked(BERTH, 1)).isFalse();
        blocked.unmark(BERTH, 1);
    }
}
