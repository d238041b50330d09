package dev.berth.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.content.FileContentStore;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageStoreTest {
    @TempDir
    Path dataRoot;

    @TempDir
    Path scratch;

    /** Thrown by the step hook: the process "dies" right after a durable step. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    static Image image(FileContentStore content, String layer, Instant created, String... tags) {
        byte[] config = TestImages.config(created, Map.of(), layer);
        Digest id = content.put(config);
        Digest diffId = Digest.sha256(layer.getBytes(StandardCharsets.UTF_8));
        List<Reference> refs = new ArrayList<>();
        for (String t : tags) {
            refs.add(Reference.parse(t).withDefaultTag());
        }
        return new Image(id, ImageJson.parseConfig(config), config.length,
                List.of(new Image.Layer(diffId, ChainId.of(null, diffId), 42, Optional.empty())), refs, List.of(), 42, Optional.empty());
    }

    /** What a reader sees: id → familiar tags. */
    private static Map<Digest, List<String>> view(ImageStore store) {
        Map<Digest, List<String>> out = new java.util.TreeMap<>();
        for (Image i : store.images()) {
            out.put(i.id(), i.familiarRepoTags());
        }
        return out;
    }

    private List<String> recordFiles() throws IOException {
        try (Stream<Path> s = Files.list(dataRoot.resolve("image/images"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commitsSurviveAReopen() {
        FileContentStore content = FileContentStore.open(dataRoot);
        ImageStore store = ImageStore.open(dataRoot, content);
        Image a = image(content, "a", Instant.parse("2024-01-01T00:00:00Z"), "a:1");

        store.commit(List.of(a), List.of());
        ImageStore reopened = ImageStore.open(dataRoot, content);

        assertThat(reopened.get(a.id())).contains(a);
    }

    /**
     * A crash after each durable step of each kind of change: the reopened store shows the state
     * of before or of after, never a mix, and keeps no record file it does not list.
     */
    @ParameterizedTest(name = "crash after step {0}")
    @ValueSource(ints = {1, 2, 3})
    void aCrashAtAnyStepLeavesTheOldOrTheNewState(int crashAt) throws IOException {
        FileContentStore content = FileContentStore.open(dataRoot);
        ImageStore store = ImageStore.open(dataRoot, content);
        Image a = image(content, "a", Instant.parse("2024-01-01T00:00:00Z"), "a:1", "shared:latest");
        Image b = image(content, "b", Instant.parse("2024-01-02T00:00:00Z"), "b:1");
        store.commit(List.of(a, b), List.of());

        List<Consumer<ImageStore>> changes = List.of(
                // add an image that takes a tag from another
                s -> s.commit(List.of(image(content, "c", Instant.parse("2024-01-03T00:00:00Z"), "c:1", "shared:latest"),
                        a.withReferences(List.of(Reference.parse("a:1").withDefaultTag()), List.of(), Optional.empty())), List.of()),
                // delete an image
                s -> s.commit(List.of(), List.of(b.id())),
                // retag
                s -> s.commit(List.of(b.withReferences(List.of(Reference.parse("b:2")), List.of(), Optional.of(Instant.now()))), List.of()));

        for (Consumer<ImageStore> change : changes) {
            Path copy = Files.createTempDirectory(scratch, "copy");
            copyTree(dataRoot, copy);
            FileContentStore copyContent = FileContentStore.open(copy);
            ImageStore shadow = ImageStore.open(copy, copyContent);
            change.accept(shadow);
            Map<Digest, List<String>> next = view(shadow);
            ImageStore before = ImageStore.open(dataRoot, content);
            Map<Digest, List<String>> old = view(before);
            int[] step = {0};
            before.afterStep(name -> {
                if (++step[0] == crashAt) {
                    throw new Crash();
                }
            });
            boolean crashed;
            try {
                change.accept(before);
                crashed = false;
            } catch (Crash e) {
                crashed = true;
            }

            ImageStore after = ImageStore.open(dataRoot, content);

            Map<Digest, List<String>> seen = view(after);
            if (crashed) {
                assertThat(seen).isIn(old, next);
            } else {
                assertThat(seen).isEqualTo(next);
            }
            Set<String> expectedFiles = new HashSet<>();
            seen.keySet().forEach(id -> expectedFiles.add(id.hex() + ".json"));
            assertThat(recordFiles()).containsExactlyInAnyOrderElementsOf(expectedFiles);
            // every listed image is whole: its config blob reads back
            for (Image i : after.images()) {
                assertThat(content.read(i.id())).isNotEmpty();
            }
            // a reference names one image
            List<String> allTags = new ArrayList<>();
            seen.values().forEach(allTags::addAll);
            assertThat(allTags).doesNotHaveDuplicates();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void readersDoNotWaitForACommitUnderWayAndSeeTheOldStateUntilItIsDone() throws Exception {
        FileContentStore content = FileContentStore.open(dataRoot);
        Image a = image(content, "a", Instant.parse("2024-01-01T00:00:00Z"), "a:1");
        Image c = image(content, "c", Instant.parse("2024-01-03T00:00:00Z"), "c:1");
        ImageStore store = ImageStore.open(dataRoot, content);
        store.commit(List.of(a), List.of());
        CountDownLatch inCommit = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        store.afterStep(name -> {
            if (name.equals("record-written")) {
                inCommit.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread committer = Thread.ofPlatform().start(() -> store.commit(List.of(c), List.of()));
        try {
            assertThat(inCommit.await(10, TimeUnit.SECONDS)).isTrue();
            // the committer holds the store's monitor here: a reader that waited for it would hang
            CompletableFuture<Map<Digest, List<String>>> read =
                    CompletableFuture.supplyAsync(() -> view(store));
            assertThat(read.get(5, TimeUnit.SECONDS)).containsOnlyKeys(a.id());
            assertThat(store.get(c.id())).isEmpty();
        } finally {
            finish.countDown();
            committer.join(10_000);
        }
        assertThat(view(store)).containsOnlyKeys(a.id(), c.id());
        assertThat(store.get(c.id())).isPresent();
        assertThatThrownBy(() -> store.images().add(a)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void oldOrNewExactlyForAnAdd() {
        FileContentStore content = FileContentStore.open(dataRoot);
        Image a = image(content, "a", Instant.parse("2024-01-01T00:00:00Z"), "a:1");
        Image c = image(content, "c", Instant.parse("2024-01-03T00:00:00Z"), "c:1");
        ImageStore.open(dataRoot, content).commit(List.of(a), List.of());

        for (int crashAt = 1; crashAt <= 2; crashAt++) {
            ImageStore store = ImageStore.open(dataRoot, content);
            int target = crashAt;
            int[] step = {0};
            store.afterStep(name -> {
                if (++step[0] == target) {
                    throw new Crash();
                }
            });
            assertThatThrownBy(() -> store.commit(List.of(c), List.of())).isInstanceOf(Crash.class);

            Set<Digest> ids = view(ImageStore.open(dataRoot, content)).keySet();
            // step 1 = record written, references not yet: old state; step 2 = references written: new state
            assertThat(ids).isEqualTo(crashAt == 1 ? Set.of(a.id()) : Set.of(a.id(), c.id()));
            if (crashAt == 2) {
                ImageStore.open(dataRoot, content).commit(List.of(), List.of(c.id()));
            }
        }
    }

    @Test
    void openDropsHalfDoneRecordsTempFilesAndImagesWithoutConfig() throws IOException {
        FileContentStore content = FileContentStore.open(dataRoot);
        Image a = image(content, "a", Instant.parse("2024-01-01T00:00:00Z"), "a:1");
        Image b = image(content, "b", Instant.parse("2024-01-02T00:00:00Z"), "b:1");
        ImageStore.open(dataRoot, content).commit(List.of(a, b), List.of());
        Files.writeString(dataRoot.resolve("image/images/" + "e".repeat(64) + ".json"), "{\"id\": \"half\"");
        Files.writeString(dataRoot.resolve("image/.references.json.tmp-123"), "{");
        content.delete(b.id()); // damage: a listed image lost its config

        ImageStore store = ImageStore.open(dataRoot, content);

        assertThat(view(store)).containsOnlyKeys(a.id());
        assertThat(recordFiles()).containsExactly(a.id().hex() + ".json");
        assertThat(Files.exists(dataRoot.resolve("image/.references.json.tmp-123"))).isFalse();
        // the drop was written down: a second open agrees
        assertThat(view(ImageStore.open(dataRoot, content))).containsOnlyKeys(a.id());
    }

    /** A real kill -9 of a process committing in a loop: every reopen finds a consistent store. */
    @Test
    void killMinus9WhileCommittingLeavesAConsistentStore() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 3; round++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    StoreChurn.class.getName(), dataRoot.toString(), String.valueOf(round))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Thread.sleep(900 + 150L * round);
            } finally {
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            FileContentStore content = FileContentStore.open(dataRoot);
            ImageStore store = ImageStore.open(dataRoot, content);
            Set<String> expectedFiles = new HashSet<>();
            List<String> tags = new ArrayList<>();
            for (Image i : store.images()) {
                expectedFiles.add(i.id().hex() + ".json");
                assertThat(Digest.sha256(content.read(i.id()))).isEqualTo(i.id());
                tags.addAll(i.familiarRepoTags());
            }
            assertThat(recordFiles()).containsExactlyInAnyOrderElementsOf(expectedFiles);
            assertThat(tags).doesNotHaveDuplicates();
        }
    }

    /** The child of the kill -9 test: adds, retags and removes images as fast as it can. */
    public static final class StoreChurn {
        public static void main(String[] args) {
            Path root = Path.of(args[0]);
            FileContentStore content = FileContentStore.open(root);
            ImageStore store = ImageStore.open(root, content);
            for (long n = 0; ; n++) {
                Image img = image(content, "layer-" + args[1] + "-" + n, Instant.ofEpochSecond(n), "churn:" + (n % 3), "n:" + n);
                List<Image> changes = new ArrayList<>();
                changes.add(img);
                for (Image other : store.images()) {
                    if (other.repoTags().contains(img.repoTags().getFirst())) {
                        List<Reference> kept = new ArrayList<>(other.repoTags());
                        kept.remove(img.repoTags().getFirst());
                        changes.add(other.withReferences(kept, other.repoDigests(), other.lastTagTime()));
                    }
                }
                List<Digest> removals = new ArrayList<>();
                if (store.images().size() > 5) {
                    removals.add(store.images().getFirst().id());
                }
                store.commit(changes, removals);
            }
        }
    }
}
