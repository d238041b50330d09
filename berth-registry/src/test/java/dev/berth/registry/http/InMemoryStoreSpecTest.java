package dev.berth.registry.http;

import dev.berth.registry.store.RegistryStore;
import java.nio.file.Path;

/** The spec suite over the test's in-memory store: the HTTP layer alone. */
class InMemoryStoreSpecTest extends DistributionSpecSuite {
    @Override
    RegistryStore newStore(Path dir) {
        return new InMemoryRegistryStore(dir);
    }
}
