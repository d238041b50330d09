package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobOriginsTest {
    static final Digest LAYER = Digest.sha256("layer".getBytes());
    static final Digest GZ = Digest.sha256("gz".getBytes());
    static final Digest PLAIN = Digest.sha256("plain".getBytes());

    @TempDir
    Path dir;

    static BlobOrigins.Origin origin(Digest blob, String repo) {
        return new BlobOrigins.Origin(blob, MediaTypes.DOCKER_LAYER, 10, repo);
    }

    @Test
    void recordsSurviveReopeningNewestLast() {
        BlobOrigins a = BlobOrigins.open(dir);
        a.add(LAYER, origin(GZ, "127.0.0.1:5000/a"));
        a.add(LAYER, origin(PLAIN, "127.0.0.1:5000/b"));
        a.add(LAYER, origin(GZ, "127.0.0.1:5000/a")); // again: moves to the end, not twice
        assertThat(BlobOrigins.open(dir).of(LAYER)).containsExactly(origin(PLAIN, "127.0.0.1:5000/b"), origin(GZ, "127.0.0.1:5000/a"));
        assertThat(BlobOrigins.open(dir).of(GZ)).isEmpty();
    }

    @Test
    void forgetsOneRepositorysBlob() {
        BlobOrigins a = BlobOrigins.open(dir);
        a.add(LAYER, origin(GZ, "127.0.0.1:5000/a"));
        a.add(LAYER, origin(GZ, "127.0.0.1:5000/b"));
        a.forget(LAYER, GZ, "127.0.0.1:5000/a");
        assertThat(BlobOrigins.open(dir).of(LAYER)).containsExactly(origin(GZ, "127.0.0.1:5000/b"));
    }

    @Test
    void keepsABoundedNumberPerLayer() {
        BlobOrigins a = BlobOrigins.inMemory();
        for (int i = 0; i < BlobOrigins.MAX_PER_LAYER + 5; i++) {
            a.add(LAYER, origin(GZ, "127.0.0.1:5000/r" + i));
        }
        assertThat(a.of(LAYER)).hasSize(BlobOrigins.MAX_PER_LAYER);
        assertThat(a.of(LAYER).getLast().repository()).isEqualTo("127.0.0.1:5000/r" + (BlobOrigins.MAX_PER_LAYER + 4));
    }

    @Test
    void anUnreadableRecordIsOnlyAHintLost() throws Exception {
        Path file = Files.createDirectories(dir.resolve("sha256")).resolve(LAYER.hex() + ".json");
        Files.writeString(file, "{not json");
        BlobOrigins a = BlobOrigins.open(dir);
        assertThat(a.of(LAYER)).isEmpty();
        a.add(LAYER, origin(GZ, "127.0.0.1:5000/a"));
        assertThat(BlobOrigins.open(dir).of(LAYER)).hasSize(1);
    }

    @Test
    void anOriginSplitsDomainAndPathAndRefusesBlanks() {
        BlobOrigins.Origin o = origin(GZ, "docker.io/library/busybox");
        assertThat(o.domain()).isEqualTo("docker.io");
        assertThat(o.path()).isEqualTo("library/busybox");
        assertThatThrownBy(() -> new BlobOrigins.Origin(GZ, "", 1, "x/y")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> new BlobOrigins.Origin(GZ, MediaTypes.DOCKER_LAYER, -1, "x/y")).isInstanceOf(BerthException.class);
    }
}
