package dev.berth.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvAndCapsTest {
    @Test
    void envReplacesInPlaceAndAppends() {
        assertThat(EnvMerge.replaceOrAppend(List.of("PATH=/bin", "A=1"), List.of("A=2", "B=3")))
                .containsExactly("PATH=/bin", "A=2", "B=3");
        assertThat(EnvMerge.replaceOrAppend(List.of("A=1", "B=2"), List.of("A"))).containsExactly("B=2");
        assertThat(EnvMerge.processEnv(List.of("FOO=1"), "h", true))
                .containsExactly(EnvMerge.DEFAULT_PATH, "HOSTNAME=h", "TERM=xterm", "FOO=1");
        assertThat(EnvMerge.processEnv(List.of("HOSTNAME=x"), "h", false)).containsExactly(EnvMerge.DEFAULT_PATH, "HOSTNAME=x");
    }

    @Test
    void capabilitiesAsDockerTweaksThem() {
        assertThat(CapabilitySet.compute(List.of(), List.of(), false)).containsExactlyElementsOf(CapabilitySet.DOCKER_DEFAULT);
        assertThat(CapabilitySet.compute(List.of(), List.of("ALL"), false)).isEmpty();
        assertThat(CapabilitySet.compute(List.of("chown"), List.of("ALL"), false)).containsExactly("CAP_CHOWN");
        assertThat(CapabilitySet.compute(List.of("ALL"), List.of("SYS_ADMIN"), false))
                .hasSize(40).doesNotContain("CAP_SYS_ADMIN");
    }

    @Test
    void resolvConfDropsLoopbackNameservers() {
        assertThat(EtcFiles.containerResolvConf("search lan\nnameserver 127.0.0.53\n"))
                .isEqualTo("search lan\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        assertThat(EtcFiles.containerResolvConf("nameserver 10.0.0.2\nnameserver ::1\noptions edns0\n"))
                .isEqualTo("nameserver 10.0.0.2\noptions edns0\n");
    }
}
