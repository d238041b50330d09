package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.State.Status;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle of runtime.md against the real kernel: create → start → kill → delete. */
class LifecycleTest extends RuntimeTest {
    @Override
    String idPrefix() {
        return "lc";
    }

    @Test
    void runPrintsHostnameAndPidOne() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "hostname > /out/host; echo $$ > /out/pid");
        b.edit(c -> c.put("hostname", "berth-test"));
        int code = runtime.run(CreateOptions.of(id, b.dir()), false);
        assertThat(code).isZero();
        assertThat(b.read("host").trim()).isEqualTo("berth-test");
        assertThat(b.read("pid").trim()).isEqualTo("1");
        assertThat(Files.exists(root.resolve(id))).isFalse();
    }

    /**
     * Two runtimes with roots of their own (two daemons, say) run a container each under one
     * parent; the first made the parent and is deleted first, while the second still holds it.
     * The second's delete, which found the parent there, removes it: berth marked it as its own.
     */
    @Test
    void theLastOfTwoOverlappingContainersTakesTheSharedParentWithIt() {
        String parent = "/" + id + "-parent";
        String other = id + "-b";
        LinuxContainerRuntime second = openRuntime(tmp.resolve("root-b"));
        TestBundle a = TestBundle.create(tmp.resolve("a"), "sleep", "60");
        a.linux().put("cgroupsPath", parent + "/" + id);
        a.write();
        TestBundle b = TestBundle.create(tmp.resolve("b"), "sleep", "60");
        b.linux().put("cgroupsPath", parent + "/" + other);
        b.write();
        List<Path> parents = cgroupRoots().stream().map(h -> h.resolve(parent.substring(1))).toList();
        try {
            runtime.run(CreateOptions.of(id, a.dir()), true);
            second.run(CreateOptions.of(other, b.dir()), true);
            assertThat(parents).allSatisfy(dir -> assertThat(dir.resolve(other)).isDirectory());

            runtime.delete(id, true);
            assertThat(parents).allSatisfy(dir -> {
                assertThat(dir.resolve(id)).doesNotExist();
                assertThat(dir).as("still holds the second container").isDirectory();
            });
            second.delete(other, true);
            assertThat(parents).allSatisfy(dir -> assertThat(dir).as("made by the first create").doesNotExist());
        } finally {
            for (var s : second.list()) {
                second.delete(s.id(), true);
            }
            runtime.list().forEach(s -> runtime.delete(s.id(), true));
            for (Path dir : parents) {
                try {
                    Files.deleteIfExists(dir); // only when the check above failed
                } catch (java.io.IOException ignored) {
                    // reported by the assertion
                }
            }
        }
    }

    /** Where each cgroup hierarchy of this host is mounted. */
    private static List<Path> cgroupRoots() {
        var layout = dev.berth.runtime.cgroup.CgroupLayout.detect();
        List<Path> roots = new java.util.ArrayList<>();
        layout.v1().forEach(h -> roots.add(h.mountPoint()));
        layout.v2().ifPresent(h -> roots.add(h.mountPoint()));
        return roots;
    }

    @Test
    void runReturnsTheExitStatus() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "exit 3");
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isEqualTo(3);
    }

    @Test
    void runReportsDeathBySignalAs128PlusSignal() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        var result = new java.util.concurrent.CompletableFuture<Integer>();
        Thread t = new Thread(() -> {
            try {
                result.complete(runtime.run(CreateOptions.of(id, b.dir()), false));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        waitFor(() -> {
            try {
                return runtime.state(id).status() == Status.RUNNING;
            } catch (BerthException e) {
                return false;
            }
        });
        runtime.kill(id, 9, false);
        assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(137);
    }

    @Test
    void createWaitsForStartThenRuns() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "echo started > /out/marker; sleep 30");
        var created = runtime.create(CreateOptions.of(id, b.dir()));
        assertThat(created.status()).isEqualTo(Status.CREATED);
        assertThat(created.pid()).isPositive();
        assertThat(created.bundle()).isEqualTo(b.dir().toString());
        Thread.sleep(100);
        assertThat(Files.exists(b.out().resolve("marker"))).as("user program must not run before start").isFalse();

        runtime.start(id);
        assertThat(runtime.state(id).status()).isEqualTo(Status.RUNNING);
        waitFor(() -> Files.exists(b.out().resolve("marker")));

        runtime.kill(id, 9, false);
        waitFor(() -> runtime.state(id).status() == Status.STOPPED);
        assertThat(runtime.state(id).pid()).isZero();
        runtime.delete(id, false);
        assertThatThrownBy(() -> runtime.state(id)).isInstanceOf(BerthException.class)
                .hasMessageContaining(id).extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
    }

    @Test
    void pidFileHoldsTheInitPid() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        Path pidFile = tmp.resolve("pid");
        var s = runtime.create(new CreateOptions(id, b.dir(), Optional.of(pidFile), Optional.empty(), false, false, 0));
        assertThat(Files.readString(pidFile).trim()).isEqualTo(Integer.toString(s.pid()));
    }

    @Test
    void noPivotWorks() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "test -d /proc/1 && echo ok > /out/r");
        assertThat(runtime.run(new CreateOptions(id, b.dir(), Optional.empty(), Optional.empty(), true, false, 0), false)).isZero();
        assertThat(b.read("r").trim()).isEqualTo("ok");
    }

    @Test
    void pauseAndResume() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        runtime.run(CreateOptions.of(id, b.dir()), true);
        runtime.pause(id);
        assertThat(runtime.state(id).status()).isEqualTo(Status.PAUSED);
        assertThatThrownBy(() -> runtime.pause(id)).isInstanceOf(BerthException.class);
        runtime.resume(id);
        assertThat(runtime.state(id).status()).isEqualTo(Status.RUNNING);
        assertThat(runtime.pids(id)).contains(runtime.state(id).pid());
    }

    @Test
    void deleteForceKillsAPausedContainer() {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        runtime.run(CreateOptions.of(id, b.dir()), true);
        int pid = runtime.state(id).pid();
        runtime.pause(id);
        runtime.delete(id, true);
        assertThat(ProcStat.read(pid).map(p -> p.state() != 'Z').orElse(false)).isFalse();
        assertThat(runtime.list()).isEmpty();
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
