package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformMatcherTest {
    private static Descriptor entry(String seed, Platform p) {
        return Descriptor.of(MediaTypes.OCI_MANIFEST, seed.getBytes()).withPlatform(p);
    }

    @Test
    void picksOsArchitectureAndVariant() {
        Descriptor amd = entry("a", Platform.of("linux", "amd64"));
        Descriptor armV6 = entry("b", new Platform("arm", "linux", "", List.of(), "v6"));
        Descriptor armV7 = entry("c", new Platform("arm", "linux", "", List.of(), "v7"));
        Descriptor arm64 = entry("d", new Platform("arm64", "linux", "", List.of(), "v8"));
        Descriptor windows = entry("e", Platform.of("windows", "amd64"));
        ImageIndex index = ImageIndex.oci(List.of(windows, armV6, armV7, arm64, amd));
        assertThat(PlatformMatcher.pick(index, Platform.of("linux", "amd64"))).contains(amd);
        assertThat(PlatformMatcher.pick(index, Platform.of("linux", "arm"))).contains(armV7);
        assertThat(PlatformMatcher.pick(index, new Platform("arm", "linux", "", List.of(), "v6"))).contains(armV6);
        assertThat(PlatformMatcher.pick(index, Platform.of("linux", "arm64"))).contains(arm64);
        assertThat(PlatformMatcher.pick(index, Platform.of("linux", "s390x"))).isEmpty();
        assertThat(PlatformMatcher.pick(ImageIndex.oci(List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, "x".getBytes()))),
                Platform.of("linux", "amd64"))).isEmpty();
    }
}
