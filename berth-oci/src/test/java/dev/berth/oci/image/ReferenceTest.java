package dev.berth.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceTest {
    private static final String HEX = "a".repeat(64);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # input                              | full normalized form                        | familiar
            busybox                              | docker.io/library/busybox                   | busybox
            busybox:latest                       | docker.io/library/busybox:latest            | busybox:latest
            busybox:1.36.1-musl                  | docker.io/library/busybox:1.36.1-musl       | busybox:1.36.1-musl
            library/busybox                      | docker.io/library/busybox                   | busybox
            docker.io/busybox                    | docker.io/library/busybox                   | busybox
            index.docker.io/busybox:1            | docker.io/library/busybox:1                 | busybox:1
            docker.io/library/busybox            | docker.io/library/busybox                   | busybox
            docker.io/foo/bar                    | docker.io/foo/bar                           | foo/bar
            library/a/b                          | docker.io/library/a/b                       | library/a/b
            foo/bar/baz:v2                       | docker.io/foo/bar/baz:v2                    | foo/bar/baz:v2
            localhost/foo                        | localhost/foo                               | localhost/foo
            localhost:5000/a/b:t                 | localhost:5000/a/b:t                        | localhost:5000/a/b:t
            127.0.0.1:5000/x                     | 127.0.0.1:5000/x                            | 127.0.0.1:5000/x
            [::1]:5000/x:1                       | [::1]:5000/x:1                              | [::1]:5000/x:1
            Foo/bar                              | Foo/bar                                     | Foo/bar
            registry.example.com/a.b/c_d/e__f/g-h/i---j | registry.example.com/a.b/c_d/e__f/g-h/i---j | registry.example.com/a.b/c_d/e__f/g-h/i---j
            a.b                                  | docker.io/library/a.b                       | a.b
            x:_Tag.1-A                           | docker.io/library/x:_Tag.1-A                | x:_Tag.1-A
            """)
    void validReferencesNormalizeAsDockerDoes(String input, String full, String familiar) {
        Reference ref = Reference.parse(input);

        assertThat(ref.toString()).isEqualTo(full);
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
        assertThat(Reference.parse(ref.familiar())).isEqualTo(ref);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Busybox                 | invalid reference format: repository name (library/Busybox) must be lowercase
            foo/Bar                 | invalid reference format: repository name (foo/Bar) must be lowercase
            localhost:5000/Up:tag   | invalid reference format: repository name (Up) must be lowercase
            a//b                    | invalid reference format
            x:                      | invalid reference format
            :tag                    | invalid reference format
            a:b:c                   | invalid reference format
            -foo                    | invalid reference format
            foo-                    | invalid reference format
            a___b                   | invalid reference format
            foo/                    | invalid reference format
            /foo                    | invalid reference format
            foo bar                 | invalid reference format
            foo:-tag                | invalid reference format
            -host.com/foo           | invalid reference format
            host.com:port/foo       | invalid reference format
            foo@sha256:abc          | invalid reference format
            foo@sha256:0123456789abcdef0123456789abcdef01234567 | invalid checksum digest length
            foo@md5:0123456789abcdef0123456789abcdef | unsupported digest algorithm
            """)
    void invalidReferencesFailWithDockersWords(String input, String message) {
        assertThatThrownBy(() -> Reference.parse(input))
                .isInstanceOf(BerthException.class)
                .hasMessage(message)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
    }

    @Test
    void emptyIsInvalid() {
        assertThatThrownBy(() -> Reference.parse("")).hasMessage("invalid reference format");
    }

    @Test
    void fullReferenceWithHostPortPathTagAndDigest() {
        Reference ref = Reference.parse("localhost:5000/a/b:t@sha256:" + HEX);

        assertThat(ref.domain()).isEqualTo("localhost:5000");
        assertThat(ref.path()).isEqualTo("a/b");
        assertThat(ref.name()).isEqualTo("localhost:5000/a/b");
        assertThat(ref.tag()).contains("t");
        assertThat(ref.digest()).contains(new Digest("sha256", HEX));
        assertThat(ref.familiar()).isEqualTo("localhost:5000/a/b:t@sha256:" + HEX);
        assertThat(ref.withoutTag().familiar()).isEqualTo("localhost:5000/a/b@sha256:" + HEX);
        assertThat(ref.withoutDigest().familiar()).isEqualTo("localhost:5000/a/b:t");
        assertThat(ref.repository().familiar()).isEqualTo("localhost:5000/a/b");
    }

    @Test
    void anImageIdIsNotAName() {
        assertThatThrownBy(() -> Reference.parse("sha256:" + HEX)).isInstanceOf(BerthException.class)
                .hasMessage("refusing to create an ambiguous tag using digest algorithm as name");
        assertThatThrownBy(() -> Reference.parse(HEX))
                .hasMessage("invalid repository name (" + HEX + "), cannot specify 64-byte hexadecimal strings");
        // a 63-hex name is an ordinary repository
        assertThat(Reference.parse(HEX.substring(1)).familiar()).isEqualTo(HEX.substring(1));
    }

    @Test
    void noTagStaysDistinguishableUntilTheDefaultIsAdded() {
        Reference bare = Reference.parse("busybox");

        assertThat(bare.tag()).isEmpty();
        assertThat(bare.isTagged()).isFalse();
        assertThat(bare.withDefaultTag().tag()).contains("latest");
        assertThat(bare.withDefaultTag().familiar()).isEqualTo("busybox:latest");
        assertThat(bare.withDefaultTag()).isEqualTo(Reference.parse("docker.io/library/busybox:latest"));
        Reference digested = Reference.parse("busybox@sha256:" + HEX);
        assertThat(digested.withDefaultTag()).isSameAs(digested);
    }

    @Test
    void tagLengthAndNameLengthLimits() {
        assertThat(Reference.parse("x:" + "t".repeat(128)).tag()).contains("t".repeat(128));
        assertThatThrownBy(() -> Reference.parse("x:" + "t".repeat(129))).hasMessage("invalid reference format");
        String path = "a".repeat(255 - "docker.io/".length());
        assertThat(Reference.parse("docker.io/x/" + path.substring(2)).name()).hasSize(255);
        assertThatThrownBy(() -> Reference.parse("docker.io/x/" + path.substring(1)))
                .hasMessage("repository name must not be more than 255 characters");
    }

    @Test
    void withTagValidates() {
        assertThat(Reference.parse("busybox").withTag("1.0").familiar()).isEqualTo("busybox:1.0");
        assertThatThrownBy(() -> Reference.parse("busybox").withTag("no/slash")).hasMessage("invalid tag format");
        assertThat(Reference.isValidTag("v1.0-rc_1")).isTrue();
        assertThat(Reference.isValidTag(".x")).isFalse();
    }
}
