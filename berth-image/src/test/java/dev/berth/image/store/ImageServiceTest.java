package dev.berth.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.content.FileContentStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageServiceTest {
    @TempDir
    Path dataRoot;

    FileContentStore content;
    FakeSnapshotter snapshotter;
    ImageService service;
    TestImages images;
    final Map<Digest, List<ImageUsers.User>> containers = new HashMap<>();

    @BeforeEach
    void open() {
        content = FileContentStore.open(dataRoot);
        snapshotter = new FakeSnapshotter();
        reopen();
    }

    private void reopen() {
        service = new ImageService(ImageStore.open(dataRoot, content), content, snapshotter);
        service.setUsers(id -> containers.getOrDefault(id, List.of()));
        images = new TestImages(content, snapshotter, service);
    }

    private static Digest diffId(String layer) {
        return Digest.sha256(layer.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> lines(List<DeleteResponseItem> items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.toString()));
        return out;
    }

    private static void assertKind(Throwable e, BerthException.Kind kind) {
        assertThat(e).isInstanceOf(BerthException.class);
        assertThat(((BerthException) e).kind()).isEqualTo(kind);
    }

    // ---- add / inspect ----

    @Test
    void addRecordsLayersSizeAndTags() {
        Image image = images.add("2024-01-01T00:00:00Z", "busybox", "base", "app");

        assertThat(image.id()).isEqualTo(Digest.sha256(TestImages.config(Instant.parse("2024-01-01T00:00:00Z"), Map.of(), "base", "app")));
        assertThat(image.familiarRepoTags()).containsExactly("busybox:latest");
        assertThat(image.size()).isEqualTo(TestImages.sizeOf("base") + TestImages.sizeOf("app"));
        assertThat(image.layers()).extracting(Image.Layer::chainId).containsExactlyElementsOf(ChainId.all(List.of(diffId("base"), diffId("app"))));
        assertThat(image.layers().getFirst().blob()).isPresent();
        assertThat(image.topChainId()).contains(ChainId.top(List.of(diffId("base"), diffId("app"))));
        assertThat(content.contains(image.id())).as("config blob stored").isTrue();
    }

    @Test
    void aLayerAddedWithoutBlobTakesTheBlobAnotherImageKeepsAndKeepsItAlive() {
        Image base = images.add("2024-01-01T00:00:00Z", "base:1", "shared");
        // as a pull that found the layer's snapshot: no blob of it comes with the image
        Image pulled = service.add(TestImages.config(Instant.parse("2024-02-02T00:00:00Z"), Map.of(), "shared"),
                List.of(java.util.Optional.empty()), List.of(Reference.parse("pulled:1")), List.of());

        Descriptor kept = base.layers().getFirst().blob().orElseThrow();
        assertThat(pulled.layers().getFirst().blob()).contains(kept);
        service.remove("base:1", false, false);
        assertThat(content.contains(kept.digest())).as("still named by the pulled image").isTrue();
        service.remove("pulled:1", false, false);
        assertThat(content.contains(kept.digest())).isFalse();
    }

    @Test
    void aLayerAddedWithoutBlobTakesItsPlainTarWhenTheStoreHasIt() {
        byte[] tar = "orphan".getBytes(StandardCharsets.UTF_8);
        Digest diffId = content.put(tar);
        snapshotter.put(ChainId.of(null, diffId), null, diffId, TestImages.sizeOf("orphan"));
        Image image = service.add(TestImages.config(Instant.EPOCH, Map.of(), "orphan"), List.of(java.util.Optional.empty()),
                List.of(), List.of());
        assertThat(image.layers().getFirst().blob()).contains(Descriptor.of(MediaTypes.OCI_LAYER, diffId, tar.length));
    }

    @Test
    void addNeedsUnpackedLayersAndStoredBlobs() {
        byte[] config = TestImages.config(Instant.EPOCH, Map.of(), "never-unpacked");

        assertThatThrownBy(() -> service.add(config, List.of(), List.of()))
                .satisfies(e -> assertKind(e, BerthException.Kind.FAILED_PRECONDITION))
                .hasMessageContaining("is not unpacked");
        assertThatThrownBy(() -> service.add("{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}".getBytes(), List.of(), List.of()))
                .satisfies(e -> assertKind(e, BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("image config: architecture: required");
        assertThat(service.list(Map.of())).isEmpty();
    }

    @Test
    void addingTheSameImageAgainOnlyAddsTags() {
        Image first = images.add("2024-01-01T00:00:00Z", "a:1", "base");
        Image again = images.add("2024-01-01T00:00:00Z", "a:2", "base");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.familiarRepoTags()).containsExactly("a:1", "a:2");
        assertThat(service.list(Map.of())).hasSize(1);
    }

    @Test
    void inspectResolvesAsDockerDoes() {
        Image image = images.add("2024-01-01T00:00:00Z", "busybox:1.36", "base");
        String hex = image.id().hex();

        assertThat(service.inspect(image.id().toString())).isEqualTo(image);
        assertThat(service.inspect(hex)).isEqualTo(image);
        assertThat(service.inspect(hex.substring(0, 12))).isEqualTo(image);
        assertThat(service.inspect("sha256:" + hex.substring(0, 5))).isEqualTo(image);
        assertThat(service.inspect("busybox:1.36")).isEqualTo(image);
        assertThat(service.inspect("docker.io/library/busybox:1.36")).isEqualTo(image);

        assertThatThrownBy(() -> service.inspect("busybox"))
                .satisfies(e -> assertKind(e, BerthException.Kind.NOT_FOUND))
                .hasMessage("No such image: busybox:latest");
        assertThatThrownBy(() -> service.inspect("sha256:" + "0".repeat(64))).hasMessage("No such image: sha256:" + "0".repeat(64));
        assertThatThrownBy(() -> service.inspect("localhost:5000/x@sha256:" + "1".repeat(64)))
                .hasMessage("No such image: localhost:5000/x@sha256:" + "1".repeat(64));
        assertThatThrownBy(() -> service.inspect("Busybox"))
                .satisfies(e -> assertKind(e, BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("invalid reference format: repository name (library/Busybox) must be lowercase");
        assertThat(service.find("nosuch")).isEmpty();
    }

    @Test
    void ambiguousIdPrefixIsNotFound() {
        List<Image> added = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            added.add(images.add("2024-01-01T00:00:" + String.format("%02d", i) + "Z", null, "l" + i));
        }
        // 40 ids over 16 first hex digits: some first digit repeats
        String shared = null;
        for (Image a : added) {
            for (Image b : added) {
                if (a != b && a.id().hex().charAt(0) == b.id().hex().charAt(0)) {
                    shared = a.id().hex().substring(0, 1);
                }
            }
        }
        String prefix = shared;
        assertThatThrownBy(() -> service.inspect(prefix)).hasMessage("No such image: " + prefix + ":latest");
    }

    @Test
    void aTagNamedLikeAnIdPrefixWinsOverThePrefix() {
        Image a = images.add("2024-01-01T00:00:00Z", null, "base");
        String prefix = a.id().hex().substring(0, 6);
        Image b = images.add("2024-01-02T00:00:00Z", prefix, "other");

        assertThat(service.inspect(prefix).id()).isEqualTo(b.id());
        assertThat(service.inspect(a.id().hex().substring(0, 7)).id()).isEqualTo(a.id());
    }

    // ---- tag ----

    @Test
    void tagMovesTheTagAndSetsLastTagTime() {
        Image old = images.add("2024-01-01T00:00:00Z", "app", "v1");
        Image next = images.add("2024-01-02T00:00:00Z", null, "v2");

        service.tag(next.id().hex().substring(0, 12), Reference.parse("app"));
        service.tag("app", Reference.parse("localhost:5000/app:prod"));

        assertThat(service.inspect("app:latest").id()).isEqualTo(next.id());
        assertThat(service.inspect(old.id().toString()).repoTags()).isEmpty();
        Image tagged = service.inspect(next.id().toString());
        assertThat(tagged.familiarRepoTags()).containsExactly("app:latest", "localhost:5000/app:prod");
        assertThat(tagged.lastTagTime()).isPresent();
        assertThatThrownBy(() -> service.tag("app", Reference.parse("app@sha256:" + "a".repeat(64))))
                .hasMessage("refusing to create a tag with a digest reference");
        assertThatThrownBy(() -> service.tag("nosuch", Reference.parse("x"))).hasMessage("No such image: nosuch:latest");
        assertThatThrownBy(() -> service.tag("app", Reference.parse("sha256:abc")))
                .hasMessage("refusing to create an ambiguous tag using digest algorithm as name");
    }

    // ---- list ----

    @Test
    void listIsNewestFirstWithDockersFilters() {
        Image busybox = images.add(Instant.parse("2024-01-01T00:00:00Z"), Map.of("vendor", "acme"), List.of("busybox:latest", "busybox:1.36"), "bb");
        Image debian = images.add(Instant.parse("2024-02-01T00:00:00Z"), Map.of("vendor", "debian", "lts", "yes"), List.of("debian:12"), "deb");
        Image dangling = images.add(Instant.parse("2024-03-01T00:00:00Z"), Map.of(), List.of(), "tmp");
        Image registry = images.add(Instant.parse("2024-04-01T00:00:00Z"), Map.of(), List.of("localhost:5000/busy/box:t"), "reg");

        assertThat(service.list(Map.of())).extracting(Image::id).containsExactly(registry.id(), dangling.id(), debian.id(), busybox.id());
        assertThat(service.list(Map.of("dangling", List.of("true")))).extracting(Image::id).containsExactly(dangling.id());
        assertThat(service.list(Map.of("dangling", List.of("false")))).extracting(Image::id).containsExactly(registry.id(), debian.id(), busybox.id());
        assertThat(service.list(Map.of("label", List.of("vendor")))).extracting(Image::id).containsExactly(debian.id(), busybox.id());
        assertThat(service.list(Map.of("label", List.of("vendor=acme")))).extracting(Image::id).containsExactly(busybox.id());
        assertThat(service.list(Map.of("label", List.of("vendor", "lts=yes")))).extracting(Image::id).containsExactly(debian.id());
        assertThat(service.list(Map.of("reference", List.of("busy*")))).extracting(Image::id).containsExactly(busybox.id());
        assertThat(service.list(Map.of("reference", List.of("busybox:1.*"))).getFirst().familiarRepoTags()).containsExactly("busybox:1.36");
        assertThat(service.list(Map.of("reference", List.of("busybox:*"))).getFirst().familiarRepoTags()).containsExactly("busybox:1.36", "busybox:latest");
        assertThat(service.list(Map.of("reference", List.of("localhost:5000/*/*")))).extracting(Image::id).containsExactly(registry.id());
        assertThat(service.list(Map.of("reference", List.of("debian", "busybox:latest")))).extracting(Image::id).containsExactly(debian.id(), busybox.id());
        assertThat(service.list(Map.of("before", List.of("debian:12")))).extracting(Image::id).containsExactly(busybox.id());
        assertThat(service.list(Map.of("since", List.of(debian.id().hex().substring(0, 12))))).extracting(Image::id).containsExactly(registry.id(), dangling.id());
        assertThat(service.list(Map.of("until", List.of("2024-02-15")))).extracting(Image::id).containsExactly(debian.id(), busybox.id());
        assertThat(service.list(Map.of("until", List.of("1706745600")))).extracting(Image::id).containsExactly(debian.id(), busybox.id());
        assertThat(service.list(Map.of("until", List.of("1h")))).hasSize(4);
    }

    @Test
    void badFiltersAreInvalidArguments() {
        images.add("2024-01-01T00:00:00Z", "busybox", "bb");

        assertThatThrownBy(() -> service.list(Map.of("colour", List.of("red"))))
                .satisfies(e -> assertKind(e, BerthException.Kind.INVALID_ARGUMENT)).hasMessage("invalid filter 'colour'");
        assertThatThrownBy(() -> service.list(Map.of("dangling", List.of("maybe")))).hasMessage("invalid filter 'dangling=maybe'");
        assertThatThrownBy(() -> service.list(Map.of("reference", List.of("[")))).hasMessage("syntax error in pattern");
        assertThatThrownBy(() -> service.list(Map.of("until", List.of("yesterday"))))
                .hasMessage("failed to parse value as time or duration: \"yesterday\"");
        assertThatThrownBy(() -> service.list(Map.of("before", List.of("nosuch")))).hasMessage("No such image: nosuch:latest");
        assertThatThrownBy(() -> service.prune(false, Map.of("reference", List.of("x")))).hasMessage("invalid filter 'reference'");
    }

    // ---- history ----

    @Test
    void historyIsNewestFirstWithTheIdOnTop() {
        Image image = images.add("2024-01-01T00:00:00Z", "busybox", "base", "app");

        List<HistoryItem> rows = service.history("busybox");

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).id()).isEqualTo(image.id().toString());
        assertThat(rows.get(0).tags()).containsExactly("busybox:latest");
        assertThat(rows.get(0).createdBy()).isEqualTo("CMD [\"sh\"]");
        assertThat(rows.get(0).size()).isZero();
        assertThat(rows.get(1).id()).isEqualTo("<missing>");
        assertThat(rows.get(1).createdBy()).isEqualTo("ADD app /");
        assertThat(rows.get(1).size()).isEqualTo(TestImages.sizeOf("app"));
        assertThat(rows.get(1).tags()).isEmpty();
        assertThat(rows.get(2).size()).isEqualTo(TestImages.sizeOf("base"));
        assertThat(rows.get(2).created()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z").getEpochSecond());
    }

    // ---- remove ----

    @Test
    void removeByNameUntagsWhileOtherTagsRemain() {
        Image image = images.add(Instant.parse("2024-01-01T00:00:00Z"), Map.of(), List.of("busybox:latest", "mine:1"), "base");

        assertThat(lines(service.remove("busybox", false, false))).containsExactly("Untagged: busybox:latest");

        assertThat(service.inspect(image.id().toString()).familiarRepoTags()).containsExactly("mine:1");
        assertThat(snapshotter.removed).isEmpty();
    }

    @Test
    void removingTheLastTagDeletesImageLayersAndBlobsNobodyElseUses() {
        Image base = images.add("2024-01-01T00:00:00Z", "base", "shared");
        Image app = images.add("2024-01-02T00:00:00Z", "app", "shared", "app-layer");
        List<Digest> appChains = ChainId.all(List.of(diffId("shared"), diffId("app-layer")));

        List<DeleteResponseItem> items = service.remove("app", false, false);

        assertThat(lines(items)).containsExactly("Untagged: app:latest", "Deleted: " + app.id(), "Deleted: " + appChains.get(1));
        assertThat(snapshotter.hasLayer(appChains.get(0))).as("shared layer kept").isTrue();
        assertThat(snapshotter.hasLayer(appChains.get(1))).isFalse();
        assertThat(content.contains(app.id())).as("config blob freed").isFalse();
        assertThat(content.contains(diffId("app-layer"))).as("layer blob freed").isFalse();
        assertThat(content.contains(diffId("shared"))).isTrue();
        assertThat(service.list(Map.of())).extracting(Image::id).containsExactly(base.id());
    }

    @Test
    void removeByIdWithSeveralRepositoriesMustBeForced() {
        Image image = images.add(Instant.parse("2024-01-01T00:00:00Z"), Map.of(), List.of("a:1", "b:1"), "base");
        String shortId = image.id().shortHex();

        assertThatThrownBy(() -> service.remove(shortId, false, false))
                .satisfies(e -> assertKind(e, BerthException.Kind.CONFLICT))
                .hasMessage("conflict: unable to delete " + shortId + " (must be forced) - image is referenced in multiple repositories");
        assertThat(service.inspect("a:1")).isNotNull();

        assertThat(lines(service.remove(shortId, true, false))).containsExactly(
                "Untagged: a:1", "Untagged: b:1", "Deleted: " + image.id(), "Deleted: " + diffId("base"));
        assertThat(service.list(Map.of())).isEmpty();
        assertThat(content.list()).isEmpty();
        assertThat(snapshotter.layers()).isEmpty();
    }

    @Test
    void removeByIdWithOneTagUntagsAndDeletes() {
        Image image = images.add("2024-01-01T00:00:00Z", "busybox", "base");

        assertThat(lines(service.remove(image.id().toString(), false, false)))
                .containsExactly("Untagged: busybox:latest", "Deleted: " + image.id(), "Deleted: " + diffId("base"));
    }

    @Test
    void containersBlockRemovalAsInDocker() {
        Image image = images.add("2024-01-01T00:00:00Z", "busybox", "base");
        String shortId = image.id().shortHex();
        containers.put(image.id(), List.of(new ImageUsers.User("0123456789abcdef", false)));

        assertThatThrownBy(() -> service.remove("busybox", false, false))
                .satisfies(e -> assertKind(e, BerthException.Kind.CONFLICT))
                .hasMessage("conflict: unable to remove repository reference \"busybox\" (must force) - container 0123456789ab is using its referenced image " + shortId);
        assertThatThrownBy(() -> service.remove(shortId, false, false))
                .hasMessage("conflict: unable to delete " + shortId + " (must be forced) - image is being used by stopped container 0123456789ab");

        containers.put(image.id(), List.of(new ImageUsers.User("fedcba9876543210", true)));
        assertThatThrownBy(() -> service.remove(shortId, true, false))
                .hasMessage("conflict: unable to delete " + shortId + " (cannot be forced) - image is being used by running container fedcba987654");

        // forcing the name away leaves the image, now dangling, for the container
        assertThat(lines(service.remove("busybox", true, false))).containsExactly("Untagged: busybox:latest");
        assertThat(service.inspect(shortId).dangling()).isTrue();
        assertThat(snapshotter.hasLayer(diffId("base"))).isTrue();

        containers.put(image.id(), List.of(new ImageUsers.User("fedcba9876543210", false)));
        assertThat(lines(service.remove(shortId, true, false))).containsExactly("Deleted: " + image.id(), "Deleted: " + diffId("base"));
    }

    @Test
    void removingTheLastTagOfARepositoryDropsItsDigestReferencesToo() {
        Image image = images.add("2024-01-01T00:00:00Z", "a:1", "base");
        Reference digested = Reference.parse("a@sha256:" + "d".repeat(64));
        ImageStore store = ImageStore.open(dataRoot, content);
        store.commit(List.of(image.withReferences(image.repoTags(), List.of(digested), image.lastTagTime())), List.of());
        reopen();

        assertThat(service.inspect("a@sha256:" + "d".repeat(64)).id()).isEqualTo(image.id());
        assertThat(service.inspect("a:1").familiarRepoDigests()).containsExactly("a@sha256:" + "d".repeat(64));
        assertThat(lines(service.remove("a:1", false, false))).containsExactly(
                "Untagged: a:1", "Untagged: a@sha256:" + "d".repeat(64), "Deleted: " + image.id(), "Deleted: " + diffId("base"));
    }

    @Test
    void theContainersHookRunsWithoutTheServiceLock() {
        images.add("2024-01-01T00:00:00Z", "busybox", "base");
        // a hook that needs another thread to get through the service (as an engine holding its own lock would)
        service.setUsers(id -> {
            try {
                java.util.concurrent.CompletableFuture.runAsync(() -> service.inspect("busybox")).get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the hook was called with the service lock held", e);
            }
            return List.of();
        });

        assertThat(lines(service.remove("busybox", false, false))).contains("Untagged: busybox:latest");
    }

    @Test
    void removeUnknownIsNotFound() {
        assertThatThrownBy(() -> service.remove("nosuch", false, false))
                .satisfies(e -> assertKind(e, BerthException.Kind.NOT_FOUND)).hasMessage("No such image: nosuch:latest");
    }

    // ---- prune ----

    @Test
    void pruneDeletesDanglingImagesOnlyUnlessAll() {
        Image tagged = images.add("2024-01-01T00:00:00Z", "keep", "base");
        Image dangling = images.add("2024-01-02T00:00:00Z", null, "base", "tmp1");
        Image used = images.add("2024-01-03T00:00:00Z", null, "used");
        containers.put(used.id(), List.of(new ImageUsers.User("c1", false)));
        Digest tmpChain = ChainId.all(List.of(diffId("base"), diffId("tmp1"))).get(1);

        PruneReport report = service.prune(false, Map.of());

        assertThat(lines(report.deleted())).containsExactly("Deleted: " + dangling.id(), "Deleted: " + tmpChain);
        assertThat(report.spaceReclaimed()).isEqualTo(TestImages.sizeOf("tmp1"));
        assertThat(service.list(Map.of())).extracting(Image::id).containsExactlyInAnyOrder(tagged.id(), used.id());
        assertThat(content.contains(diffId("tmp1"))).isFalse();

        PruneReport all = service.prune(true, Map.of());

        assertThat(lines(all.deleted())).containsExactly("Untagged: keep:latest", "Deleted: " + tagged.id(), "Deleted: " + diffId("base"));
        assertThat(all.spaceReclaimed()).isEqualTo(TestImages.sizeOf("base"));
        assertThat(service.list(Map.of())).extracting(Image::id).containsExactly(used.id());
        assertThat(content.list()).containsExactlyInAnyOrder(used.id(), diffId("used"));
    }

    @Test
    void pruneHonoursLabelAndUntilFilters() {
        Image old = images.add(Instant.parse("2020-01-01T00:00:00Z"), Map.of("tier", "test"), List.of(), "a");
        Image recent = images.add(Instant.parse("2024-01-01T00:00:00Z"), Map.of("tier", "test"), List.of(), "b");
        Image prod = images.add(Instant.parse("2020-01-01T00:00:00Z"), Map.of("tier", "prod"), List.of(), "c");

        service.prune(false, Map.of("until", List.of("2021-01-01T00:00:00Z"), "label!", List.of("tier=prod")));

        assertThat(service.list(Map.of())).extracting(Image::id).containsExactlyInAnyOrder(recent.id(), prod.id());
        assertThat(service.prune(false, Map.of("label", List.of("tier=prod"))).deleted()).extracting(DeleteResponseItem::deleted).contains(prod.id().toString());
        assertThat(old).isNotNull();
    }

    // ---- disk usage ----

    @Test
    void diskUsageCountsSharedLayersOnce() {
        Image a = images.add("2024-01-01T00:00:00Z", "a", "shared", "only-a");
        Image b = images.add("2024-01-02T00:00:00Z", "b", "shared");
        containers.put(a.id(), List.of(new ImageUsers.User("c1", true), new ImageUsers.User("c2", false)));

        DiskUsage df = service.diskUsage();

        assertThat(df.layersSize()).isEqualTo(TestImages.sizeOf("shared") + TestImages.sizeOf("only-a"));
        assertThat(df.images()).hasSize(2);
        DiskUsage.ImageUsage ua = df.images().stream().filter(u -> u.image().id().equals(a.id())).findFirst().orElseThrow();
        assertThat(ua.sharedSize()).isEqualTo(TestImages.sizeOf("shared"));
        assertThat(ua.uniqueSize()).isEqualTo(TestImages.sizeOf("only-a"));
        assertThat(ua.containers()).isEqualTo(2);
        DiskUsage.ImageUsage ub = df.images().stream().filter(u -> u.image().id().equals(b.id())).findFirst().orElseThrow();
        assertThat(ub.uniqueSize()).isZero();
    }

    // ---- persistence ----

    @Test
    void aReopenedStoreFindsEveryImageAndTag() {
        Image a = images.add(Instant.parse("2024-01-01T00:00:00Z"), Map.of("k", "v"), List.of("a:1", "localhost:5000/a:2"), "base", "top");
        Image b = images.add("2024-01-02T00:00:00Z", null, "other");
        service.tag("a:1", Reference.parse("a:3"));

        reopen();

        assertThat(service.inspect("a:1")).isEqualTo(service.inspect(a.id().toString()));
        Image reloaded = service.inspect("a:3");
        assertThat(reloaded.familiarRepoTags()).containsExactly("a:1", "a:3", "localhost:5000/a:2");
        assertThat(reloaded.layers()).isEqualTo(a.layers());
        assertThat(reloaded.size()).isEqualTo(a.size());
        assertThat(reloaded.config()).isEqualTo(a.config());
        assertThat(reloaded.lastTagTime()).isPresent();
        assertThat(service.inspect(b.id().toString()).dangling()).isTrue();
    }

    @Test
    void openAtDaemonStartSweepsWhatACrashLeft() {
        Image kept = images.add("2024-01-01T00:00:00Z", "kept", "base");
        Digest strayBlob = content.put("unrecorded layer".getBytes());
        snapshotter.put(diffId("unrecorded"), null, diffId("unrecorded"), 5);

        ImageService started = ImageService.open(dataRoot, snapshotter);

        assertThat(started.inspect("kept").id()).isEqualTo(kept.id());
        assertThat(snapshotter.layers()).containsExactly(diffId("base"));
        assertThat(started.content().contains(strayBlob)).isFalse();
    }

    @Test
    void sweepOrphansRemovesWhatNoImageUses() {
        Image kept = images.add("2024-01-01T00:00:00Z", "kept", "base");
        Digest strayBlob = content.put("stray-blob".getBytes());
        snapshotter.put(diffId("stray"), null, diffId("stray"), 5);
        Digest strayTop = ChainId.of(diffId("stray"), diffId("above"));
        snapshotter.put(strayTop, diffId("stray"), diffId("above"), 5);

        assertThat(service.sweepOrphans()).containsExactlyInAnyOrder(strayBlob, diffId("stray"), strayTop);
        assertThat(snapshotter.layers()).containsExactly(diffId("base"));
        assertThat(content.list()).containsExactlyInAnyOrder(kept.id(), diffId("base"));
    }
}
