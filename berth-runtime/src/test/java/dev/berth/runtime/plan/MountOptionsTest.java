package dev.berth.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void flagsPropagationAndData() {
        MountOptions o = MountOptions.parse(List.of("nosuid", "strictatime", "mode=755", "size=65536k", "rslave"));
        assertThat(o.flags()).isEqualTo(MountOptions.MS_NOSUID | MountOptions.MS_STRICTATIME);
        assertThat(o.propagation()).isEqualTo(MountOptions.MS_SLAVE | MountOptions.MS_REC);
        assertThat(o.data()).isEqualTo("mode=755,size=65536k");
        assertThat(o.bind()).isFalse();
    }

    @Test
    void laterWordsWin() {
        assertThat(MountOptions.parse(List.of("ro", "rw")).flags() & MountOptions.MS_RDONLY).isZero();
        assertThat(MountOptions.parse(List.of("rw", "ro")).flags() & MountOptions.MS_RDONLY).isNotZero();
    }

    @Test
    void rbindIsRecursiveBind() {
        MountOptions o = MountOptions.parse(List.of("rbind", "rro"));
        assertThat(o.bind()).isTrue();
        assertThat(o.recursive()).isTrue();
        assertThat(o.flags() & MountOptions.MS_RDONLY).isNotZero();
    }
}
