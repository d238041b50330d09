package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageNameTest {
    @Test
    void normalizesAsDocker() {
        assertThat(ImageName.parse("busybox").name()).isEqualTo("docker.io/library/busybox");
        assertThat(ImageName.parse("busybox").tag()).isNull();
        assertThat(ImageName.parse("busybox").withDefaultTag().tag()).isEqualTo("latest");
        assertThat(ImageName.parse("foo/bar:1").name()).isEqualTo("docker.io/foo/bar");
        assertThat(ImageName.parse("localhost:5000/ns/x:v1").name()).isEqualTo("localhost:5000/ns/x");
        assertThat(ImageName.parse("localhost/x").domain()).isEqualTo("localhost");
        assertThat(ImageName.parse("docker.io/library/busybox:1").familiar()).isEqualTo("busybox:1");
        assertThat(ImageName.parse("index.docker.io/foo/bar").familiarName()).isEqualTo("foo/bar");
        assertThat(ImageName.parse("localhost:5000/ns/x:v1").familiar()).isEqualTo("localhost:5000/ns/x:v1");
        String digest = "sha256:" + "a".repeat(64);
        ImageName d = ImageName.parse("busybox@" + digest);
        assertThat(d.digest()).isEqualTo(digest);
        assertThat(d.withDefaultTag().tag()).isNull();
    }

    @Test
    void rejectsBadReferencesWithDockersWords() {
        assertThatThrownBy(() -> ImageName.parse("Bad"))
                .hasMessage("invalid reference format: repository name (library/Bad) must be lowercase");
        assertThatThrownBy(() -> ImageName.parse("a:b:c")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageName.parse("")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageName.parse("x@sha256:short")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageName.parse("a//b")).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageName.parse("x:-tag")).hasMessage("invalid reference format");
    }
}
