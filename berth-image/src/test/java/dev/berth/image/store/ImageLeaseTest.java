package dev.berth.image.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.content.FileContentStore;
import dev.berth.oci.image.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a lease keeps from removals, until when, and what the diff-id listeners hear. */
class ImageLeaseTest {
    @TempDir
    Path dataRoot;
    private FileContentStore content;
    private FakeSnapshotter snapshots;
    private ImageService service;
    private TestImages images;
    private final List<Set<Digest>> unused = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        content = FileContentStore.open(dataRoot);
        snapshots = new FakeSnapshotter();
        service = new ImageService(ImageStore.open(dataRoot, content), content, snapshots);
        images = new TestImages(content, snapshots, service);
        service.onUnusedDiffIds(unused::add);
    }

    private static List<Digest> diffIds(Image image) {
        return image.layers().stream().map(Image.Layer::diffId).toList();
    }

    private static List<Digest> blobs(Image image) {
        return image.layers().stream().map(l -> l.blob().orElseThrow().digest()).toList();
    }

    @Test
    void aRemovalDefersWhatALeaseProtectsUntilTheLeaseEnds() {
        Image a = images.add("2026-01-01T00:00:00Z", "a:1", "base", "top");
        ImageLease lease = service.lease();
        lease.protect(Digest.sha256("another config".getBytes()), List.of(a.layers().getFirst().diffId()),
                List.of(blobs(a).getFirst()));

        service.remove("a:1", false, false);
        Image.Layer base = a.layers().get(0);
        Image.Layer top = a.layers().get(1);
        assertThat(snapshots.hasLayer(base.chainId())).isTrue();
        assertThat(content.contains(blobs(a).get(0))).isTrue();
        assertThat(snapshots.hasLayer(top.chainId())).as("not leased: deleted at once").isFalse();
        assertThat(content.contains(a.id())).isFalse();
        assertThat(unused).containsExactly(Set.of(top.diffId()));

        lease.close();
        assertThat(snapshots.hasLayer(base.chainId())).isFalse();
        assertThat(content.contains(blobs(a).get(0))).isFalse();
        assertThat(unused).containsExactly(Set.of(top.diffId()), Set.of(base.diffId()));
        lease.close(); // twice is nothing
        assertThat(unused).hasSize(2);
    }

    @Test
    void contentAnImageUsesAgainByTheLeasesEndIsKept() {
        Image a = images.add("2026-01-01T00:00:00Z", "a:1", "base");
        try (ImageLease lease = service.lease()) {
            assertThat(lease.hold(a.id())).contains(a);
            service.remove("a:1", false, false);
            assertThat(content.contains(a.id())).isTrue();
            images.add("2026-01-02T00:00:00Z", "b:1", "base"); // the pull records its image
        }
        assertThat(snapshots.hasLayer(a.layers().getFirst().chainId())).isTrue();
        assertThat(content.contains(blobs(a).getFirst())).isTrue();
        assertThat(content.contains(a.id())).as("a's config: nothing uses it").isFalse();
        assertThat(unused).isEmpty();
    }

    @Test
    void twoLeasesOnTheSameLayerTheLastOneDeletes() {
        Image a = images.add("2026-01-01T00:00:00Z", "a:1", "shared");
        ImageLease first = service.lease();
        ImageLease second = service.lease();
        first.hold(a.id());
        second.protect(a.id(), diffIds(a), blobs(a));
        service.prune(true, Map.of());
        first.close();
        assertThat(snapshots.hasLayer(a.layers().getFirst().chainId())).isTrue();
        second.close();
        assertThat(snapshots.hasLayer(a.layers().getFirst().chainId())).isFalse();
        assertThat(content.list()).isEmpty();
    }

    @Test
    void holdingAnImageThatIsGoneGivesNothing() {
        Image a = images.add("2026-01-01T00:00:00Z", "a:1", "gone");
        service.remove("a:1", false, false);
        try (ImageLease lease = service.lease()) {
            assertThat(lease.hold(a.id())).isEmpty();
        }
        assertThat(service.diffIdsInUse()).isEmpty();
    }

    @Test
    void whatALeaseHolderWroteAndNeverRecordedIsLeftForTheNextTry() {
        try (ImageLease lease = service.lease()) {
            Digest blob = content.put("downloaded".getBytes());
            lease.protect(Digest.sha256("config".getBytes()), List.of(blob), List.of(blob));
            assertThat(service.diffIdsInUse()).contains(blob);
        }
        assertThat(content.contains(Digest.sha256("downloaded".getBytes()))).isTrue();
    }
}
