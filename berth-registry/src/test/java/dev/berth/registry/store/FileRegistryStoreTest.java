package dev.berth.registry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The contract on disk, plus what only a file store has: restarts and crash leftovers. */
class FileRegistryStoreTest extends RegistryStoreContract {
    private Path root;

    @Override
    protected RegistryStore createStore() throws IOException {
        root = Files.createTempDirectory("berth-regstore-");
        return FileRegistryStore.open(root);
    }

    @AfterEach
    void removeRoot() {
        FileRegistryStore.deleteTree(root);
    }
}
