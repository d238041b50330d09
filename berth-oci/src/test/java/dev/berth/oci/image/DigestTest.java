package dev.berth.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void hashesAndPrints() {
        assertThat(Digest.sha256(new byte[0]).toString()).isEqualTo("sha256:" + EMPTY);
        assertThat(Digest.parse("sha256:" + EMPTY).shortHex()).isEqualTo("e3b0c44298fc");
    }

    @Test
    void rejectsWhatCouldNotBeAFileName() {
        assertThatThrownBy(() -> Digest.parse("sha256:../../etc")).isInstanceOf(BerthException.class)
                .hasMessageContaining("invalid sha256 digest");
        assertThatThrownBy(() -> Digest.parse("md5:abc")).hasMessageContaining("unsupported digest algorithm \"md5\"");
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY.toUpperCase())).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> Digest.parse(EMPTY)).hasMessageContaining("want algorithm:hex");
        assertThat(Digest.isDigest("sha512:" + "a".repeat(128))).isTrue();
    }

    @Test
    void chainIdsFollowTheSpec() {
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
        assertThat(ChainId.all(List.of(a, b))).containsExactly(a,
                Digest.sha256((a + " " + b).getBytes(StandardCharsets.US_ASCII)));
        assertThat(ChainId.top(List.of())).isNull();
    }
}
