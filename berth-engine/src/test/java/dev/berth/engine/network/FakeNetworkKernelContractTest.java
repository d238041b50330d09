package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.testing.EngineFixture;
import dev.berth.engine.testing.FakeNetworkKernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine tests' fake keeps the kernel's contract (its namespaces are real: root). */
class FakeNetworkKernelContractTest extends NetworkKernelContract {
    private final FakeNetworkKernel fake = new FakeNetworkKernel();

    @BeforeEach
    void root() {
        org.junit.jupiter.api.Assumptions.assumeTrue(EngineFixture.isRoot(), "needs root: ip netns add");
    }

    @Override
    protected NetworkKernel kernel() {
        return fake;
    }

    @Override
    protected void cleanUp() {
        fake.cleanUp();
    }

    @Test
    void theFakeRecordsWhatWasAttached() {
        fake.setUpNetwork(bridge);
        var ns = fake.createNetns(containerId);
        try {
            fake.attach(ns, bridge, endpoint);
            assertThat(fake.attachedTo(containerId)).singleElement().satisfies(a -> assertThat(a.endpoint()).isEqualTo(endpoint));
        } finally {
            fake.removeNetns(containerId);
        }
        fake.detach(ns, bridge, endpoint);
        assertThat(fake.attached()).isEmpty();
    }
}
