package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's two kinds of write (durable save, atomic-only saveState) and rm's detach: what a
 * power loss or a crash can leave, and what the next open makes of it.
 */
class ContainerStoreDurabilityTest {
    @TempDir
    Path dataRoot;

    private static Container container(ContainerState state) {
        return new Container(ContainerId.generate(), ContainerName.of("web"), Instant.parse("2026-11-26T09:00:00Z"),
                Digest.sha256("cfg".getBytes()), ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT,
                "true", List.of(), state, 0, false, false);
    }

    @Test
    void aStateWriteIsReadBackAndADurableSaveKeepsALinkedCopy() throws Exception {
        ContainerStore store = new ContainerStore(dataRoot);
        Container created = container(ContainerState.created());
        store.create(created.id());
        store.saveNew(created);
        Container running = created.withState(created.state().toRunning(42, Instant.parse("2026-11-26T09:00:01Z")));
        store.saveState(running);

        assertThat(new ContainerStore(dataRoot).loadAll()).containsExactly(running);
        Path dir = store.dir(created.id());
        assertThat(ContainerJson.read(Files.readAllBytes(dir.resolve(ContainerStore.DURABLE)), "durable")).isEqualTo(created);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    ContainerStore.RECORD, ContainerStore.DURABLE);
        }
    }

    @Test
    void aRecordAPowerLossEmptiedComesBackAsOfTheLastDurableSave() throws Exception {
        ContainerStore store = new ContainerStore(dataRoot);
        Container created = container(ContainerState.created());
        store.create(created.id());
        store.save(created);
        store.saveState(created.withState(created.state().toRunning(42, Instant.parse("2026-11-26T09:00:01Z"))));
        // what a file system without replace-by-rename ordering may leave after a power loss
        Files.write(store.dir(created.id()).resolve(ContainerStore.RECORD), new byte[0]);

        assertThat(new ContainerStore(dataRoot).loadAll()).containsExactly(created);
        // and the record is whole again
        assertThat(ContainerJson.read(Files.readAllBytes(store.dir(created.id()).resolve(ContainerStore.RECORD)), "r"))
                .isEqualTo(created);
    }

    @Test
    void aDirectoryWithNeitherRecordReadableIsRemovedAsBefore() throws Exception {
        ContainerStore store = new ContainerStore(dataRoot);
        Container c = container(ContainerState.created());
        store.create(c.id());
        Files.writeString(store.dir(c.id()).resolve(ContainerStore.RECORD), "{");

        assertThat(new ContainerStore(dataRoot).loadAll()).isEmpty();
        assertThat(store.dir(c.id())).doesNotExist();
    }

    @Test
    void detachTakesTheDirectoryOutAtOnceAndTheNextOpenSweepsWhatWasNotDeleted() throws Exception {
        ContainerStore store = new ContainerStore(dataRoot);
        Container c = container(ContainerState.created());
        store.create(c.id());
        store.save(c);
        Files.writeString(store.dir(c.id()).resolve(c.id() + "-json.log"), "{}\n");

        Path doomed = store.detach(c.id(), true).orElseThrow();
        assertThat(store.dir(c.id())).doesNotExist();
        assertThat(doomed).isDirectory();
        assertThat(store.detach(c.id(), true)).isEmpty();

        // a crash before the background delete: the next open neither loads nor keeps it
        assertThat(new ContainerStore(dataRoot).loadAll()).isEmpty();
        assertThat(doomed).doesNotExist();
    }

    @Test
    void aNewRecordIsWrittenInPlaceWithItsDurableLinkAndAResaveReplacesBoth() throws Exception {
        ContainerStore store = new ContainerStore(dataRoot);
        Container c = container(ContainerState.created());
        store.create(c.id());
        store.saveNew(c);
        Path dir = store.dir(c.id());
        assertThat(Files.isSameFile(dir.resolve(ContainerStore.RECORD), dir.resolve(ContainerStore.DURABLE))).isTrue();
        Container renamed = c.withName(ContainerName.of("db"));
        store.save(renamed);
        assertThat(new ContainerStore(dataRoot).loadAll()).containsExactly(renamed);
        assertThat(ContainerJson.read(Files.readAllBytes(dir.resolve(ContainerStore.DURABLE)), "d")).isEqualTo(renamed);
    }
}
