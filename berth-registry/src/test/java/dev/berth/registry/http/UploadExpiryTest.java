package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.store.BlobUpload;
import dev.berth.registry.store.FileRegistryStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background sweep removes an abandoned upload session (waited for with a deadline, not timed). */
class UploadExpiryTest {
    @TempDir
    Path dir;

    @Test
    void anIdleSessionIsSweptAway() throws Exception {
        RepositoryName repo = RepositoryName.of("a/b");
        try (FileRegistryStore store = FileRegistryStore.open(dir.resolve("root"))) {
            BlobUpload upload = store.startUpload(repo);
            upload.append(new ByteArrayInputStream(new byte[] {1, 2, 3}), 0, 3);
            try (UploadExpiry sweep = UploadExpiry.start(store, Duration.ofMillis(1))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (exists(store, repo, upload.id()) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            assertThatThrownBy(() -> store.upload(repo, upload.id()))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN));
        }
    }

    private static boolean exists(FileRegistryStore store, RepositoryName repo, String id) {
        try {
            store.upload(repo, id);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }
}
