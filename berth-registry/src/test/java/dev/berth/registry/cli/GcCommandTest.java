package dev.berth.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.BlobUpload;
import dev.berth.registry.store.FileRegistryStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth registry gc}: a dry run says, a real run removes, a root in use is refused. */
class GcCommandTest {
    @TempDir
    Path dir;

    @Test
    void removesABlobNoManifestNamesAndSaysSoFirstWithDryRun() throws Exception {
        Path root = dir.resolve("root");
        byte[] content = "orphan layer".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        try (FileRegistryStore store = FileRegistryStore.open(root)) {
            BlobUpload upload = store.startUpload(RepositoryName.of("a/b"));
            upload.append(new ByteArrayInputStream(content), 0, content.length);
            upload.complete(digest);
            // a root in use by another store (a running server) is refused
            assertThat(RegistryMain.run("gc", "--root", root.toString())).isEqualTo(1);
        }
        String dry = capture("gc", "--root", root.toString(), "--dry-run");
        assertThat(dry).contains("would remove blob " + digest).contains("would free 0 manifests and 1 blobs, 12 bytes");
        assertThat(Files.exists(root.resolve("blobs/sha256/" + digest.hex()))).isTrue();
        String real = capture("gc", "--root", root.toString());
        assertThat(real).contains("removed blob " + digest).contains("freed 0 manifests and 1 blobs, 12 bytes");
        assertThat(Files.exists(root.resolve("blobs/sha256/" + digest.hex()))).isFalse();
    }

    private static String capture(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(RegistryMain.run(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
