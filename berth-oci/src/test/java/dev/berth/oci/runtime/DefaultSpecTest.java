package dev.berth.oci.runtime;

import static dev.berth.oci.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.berth.oci.runtime.json.SpecJson;
import org.junit.jupiter.api.Test;

class DefaultSpecTest {

    /** runc's golden output, with the spec version runc 1.1 writes swapped for ours. */
    private static String runcSpec(String fixture) {
        return read(fixture).replace("\"ociVersion\": \"1.0.2-dev\"", "\"ociVersion\": \"" + OciVersion.MAX + "\"");
    }

    @Test
    void isRuncSpecByteForByte() {
        assertThat(DefaultSpec.json(false)).isEqualTo(runcSpec("runc/spec.json"));
    }

    @Test
    void rootlessIsRuncSpecRootlessByteForByte() {
        // the golden file was generated as root, so runc mapped container root to uid/gid 0
        assertThat(SpecJson.write(DefaultSpec.rootless(0, 0))).isEqualTo(runcSpec("runc/spec-rootless.json"));
    }

    @Test
    void rootlessMapsRootToTheCallingUser() {
        var self = new com.sun.security.auth.module.UnixSystem();

        Spec spec = DefaultSpec.create(true);

        assertThat(spec.linux().uidMappings()).containsExactly(new IdMapping(0, self.getUid(), 1));
        assertThat(spec.linux().gidMappings()).containsExactly(new IdMapping(0, self.getGid(), 1));
        assertThat(spec.linux().namespaces()).extracting(Namespace::type).contains("user").doesNotContain("network");
    }

    @Test
    void isValidAndRunnable() {
        for (boolean rootless : new boolean[] {false, true}) {
            Spec spec = DefaultSpec.create(rootless);

            assertThatCode(() -> {
                SpecValidator.validate(spec);
                SpecValidator.requireProcess(spec);
            }).doesNotThrowAnyException();
            assertThat(spec.process().args()).containsExactly("sh");
            assertThat(spec.process().terminal()).isTrue();
        }
    }
}
