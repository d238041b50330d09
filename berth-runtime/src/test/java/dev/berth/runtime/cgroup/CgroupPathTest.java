package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupPathTest {
    private static final Hierarchy MEMORY = new Hierarchy(Path.of("/sys/fs/cgroup/memory"), "/", Set.of("memory"),
            "/process_api/abc", false);

    @Test
    void noPathMeansBerthSlashId() {
        assertThat(CgroupPath.resolve(null, "web")).isEqualTo(new CgroupPath(List.of("berth", "web"), false));
        assertThat(CgroupPath.resolve("", "web").dirIn(MEMORY)).isEqualTo(Path.of("/sys/fs/cgroup/memory/berth/web"));
    }

    @Test
    void absolutePathsStartAtTheHierarchyRoot() {
        CgroupPath path = CgroupPath.resolve("/my/./runtime//c1/", "ignored");
        assertThat(path.toString()).isEqualTo("/my/runtime/c1");
        assertThat(path.dirIn(MEMORY)).isEqualTo(Path.of("/sys/fs/cgroup/memory/my/runtime/c1"));
    }

    @Test
    void relativePathsStartAtThisProcesssCgroup() {
        CgroupPath path = CgroupPath.resolve("pods/c1", "ignored");
        assertThat(path.relative()).isTrue();
        assertThat(path.dirIn(MEMORY)).isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/abc/pods/c1"));
    }

    @Test
    void systemdFormIsUnsupported() {
        assertThatThrownBy(() -> CgroupPath.resolve("system.slice:berth:c1", "c1"))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.UNSUPPORTED))
                .hasMessage("systemd cgroup driver is not supported");
        assertThatThrownBy(() -> CgroupPath.resolve(":berth:c1", "c1"))
                .hasMessage("systemd cgroup driver is not supported");
        assertThat(CgroupPath.resolve("/odd:name:here", "c1").components()).containsExactly("odd:name:here");
    }

    @Test
    void dotDotAndTheRootAreRefused() {
        assertThatThrownBy(() -> CgroupPath.resolve("/a/../../etc", "c1"))
                .hasMessage("cgroupsPath \"/a/../../etc\" must not contain \"..\"");
        assertThatThrownBy(() -> CgroupPath.resolve("/", "c1")).hasMessage("cgroupsPath \"/\" names the root cgroup");
        assertThatThrownBy(() -> CgroupPath.resolve(null, "../x"))
                .hasMessage("container id \"../x\" cannot name a cgroup");
    }

    @Test
    void aBindMountedSubtreeHidesItsRootFromOwnPaths() {
        Hierarchy inContainer = new Hierarchy(Path.of("/sys/fs/cgroup/memory"), "/docker/abc", Set.of("memory"),
                "/docker/abc/inner", false);
        assertThat(CgroupPath.resolve("c1", "c1").dirIn(inContainer))
                .isEqualTo(Path.of("/sys/fs/cgroup/memory/inner/c1"));
    }
}
