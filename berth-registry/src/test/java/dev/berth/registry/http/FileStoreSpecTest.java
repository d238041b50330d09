package dev.berth.registry.http;

import dev.berth.registry.store.FileRegistryStore;
import dev.berth.registry.store.RegistryStore;
import java.nio.file.Path;

/** The spec suite over the real storage: what {@code berth registry serve} runs. */
class FileStoreSpecTest extends DistributionSpecSuite {
    @Override
    RegistryStore newStore(Path dir) {
        return FileRegistryStore.open(dir.resolve("root"));
    }
}
