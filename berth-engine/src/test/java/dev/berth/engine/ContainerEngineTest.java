package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.LogConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.oci.BerthException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine against the kernel: real overlay mounts, namespaces, cgroups, a busybox image. Needs root. */
class ContainerEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EngineFixture fx;
    private ContainerEngine engine;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() {
        EngineFixture.assumePrivileged();
        fx = new EngineFixture().start();
        engine = fx.engine;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx == null) {
            return;
        }
        fx.removeAllCheckAndClose(ids);
    }

    private Container create(List<String> cmd) {
        return create(ContainerConfig.of("busybox", cmd), HostConfig.DEFAULT);
    }

    private Container create(ContainerConfig config, HostConfig host) {
        Container c = engine.create(CreateRequest.of(config, host));
        ids.add(c.id());
        return c;
    }

    private void awaitLine(String id, String line) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (readDuringRotation(engine.logPath(id)).stream().noneMatch(e -> e.text().equals(line)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** The log as it is now; empty when a rotation renamed it between looking and reading. */
    private static List<LogEntry> readDuringRotation(java.nio.file.Path log) {
        try {
            return LogReader.readAll(log);
        } catch (BerthException e) {
            if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                return List.of();
            }
            throw e;
        }
    }

    private static List<String> lines(List<LogEntry> entries, LogEntry.Stream stream) {
        return entries.stream().filter(e -> e.stream() == stream).map(LogEntry::text).toList();
    }

    @Test
    void echoHiRunsAndIsLoggedInJsonFileFormat() throws Exception {
        Container c = create(List.of("echo", "hi"));
        assertThat(c.status()).isEqualTo(Status.CREATED);
        assertThat(c.path()).isEqualTo("echo");
        assertThat(c.args()).containsExactly("hi");
        assertThat(c.name().value()).matches("/[a-z]+_[a-z]+\\d?");

        assertThat(engine.start(c.id())).isTrue();
        WaitResult r = engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
        assertThat(r.statusCode()).isZero();

        Container done = engine.inspect(c.id());
        assertThat(done.status()).isEqualTo(Status.EXITED);
        assertThat(done.state().exitCode()).isZero();
        assertThat(done.state().pid()).isZero();
        assertThat(done.state().finishedAt()).isAfterOrEqualTo(done.state().startedAt());
        String raw = Files.readString(engine.logPath(c.id()));
        assertThat(raw).matches("\\{\"log\":\"hi\\\\n\",\"stream\":\"stdout\",\"time\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"}\\n");
        // started again: a second run appends to the same log
        assertThat(engine.start(c.id())).isTrue();
        engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
        assertThat(lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT)).containsExactly("hi\n", "hi\n");
    }

    @Test
    void stdoutStderrExitCodeEnvUserAndWorkingDir() throws Exception {
        ContainerConfig config = ContainerConfig.of("busybox",
                        List.of("sh", "-c", "echo out; echo err >&2; id -u; pwd; echo $FOO; hostname; cat /etc/hostname; printf tail; exit 3"))
                .withEnv(List.of("FOO=bar")).withUser("nobody").withWorkingDir("/work/dir").withHostname("box");
        Container c = create(config, HostConfig.DEFAULT);
        assertThat(c.config().env()).contains("FOO=bar").anyMatch(e -> e.startsWith("PATH="));
        List<LogEntry> live = new CopyOnWriteArrayList<>();
        engine.subscribe(c.id(), live::add);
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isEqualTo(3);
        List<LogEntry> logs = LogReader.readAll(engine.logPath(c.id()));
        assertThat(lines(logs, LogEntry.Stream.STDOUT)).containsExactly("out\n", "65534\n", "/work/dir\n", "bar\n", "box\n", "box\n", "tail");
        assertThat(lines(logs, LogEntry.Stream.STDERR)).containsExactly("err\n");
        assertThat(live).hasSize(logs.size());
        assertThat(engine.inspect(c.id()).state().exitCode()).isEqualTo(3);
    }

    @Test
    void stopSendsStopSignalThenKillsAfterTheTimeout() throws Exception {
        // busybox sleep as pid 1 has no handler: SIGTERM does nothing, so only SIGKILL stops it
        Container c = create(List.of("sleep", "1000"));
        engine.start(c.id());
        assertThat(engine.inspect(c.id()).state().running()).isTrue();
        assertThat(engine.inspect(c.id()).state().pid()).isPositive();
        long t0 = System.nanoTime();
        assertThat(engine.stop(c.id(), Optional.of(1))).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(900L, 15_000L);
        Container stopped = engine.inspect(c.id());
        assertThat(stopped.status()).isEqualTo(Status.EXITED);
        assertThat(stopped.state().exitCode()).isEqualTo(137);
        // not running: stop is a no-op (docker's 304)
        assertThat(engine.stop(c.id(), Optional.of(1))).isFalse();

        // a program that handles SIGTERM exits with its own status, at once
        Container trap = create(List.of("sh", "-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.1; done"));
        engine.start(trap.id());
        awaitLine(trap.id(), "ready\n"); // the trap is set
        engine.stop(trap.id(), Optional.of(30));
        assertThat(engine.inspect(trap.id()).state().exitCode()).isEqualTo(7);
    }

    @Test
    void killSignalsAndRefusesAStoppedContainer() throws Exception {
        Container c = create(List.of("sleep", "1000"));
        engine.start(c.id());
        engine.kill(c.id(), "SIGKILL");
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isEqualTo(137);
        assertThatThrownBy(() -> engine.kill(c.id(), "KILL"))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("is not running");
                });
        assertThatThrownBy(() -> engine.kill(c.id(), "NOPE")).hasMessage("Invalid signal: NOPE");
    }

    @Test
    void onFailureRestartsUpToItsLimitAndAlwaysStopsOnlyWhenStopped() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c", "echo run; exit 1")),
                HostConfig.DEFAULT.withRestartPolicy(RestartPolicy.parse("on-failure:2")));
        engine.start(c.id());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(engine.inspect(c.id()).status() == Status.EXITED && engine.inspect(c.id()).restartCount() == 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Container done = engine.inspect(c.id());
        assertThat(done.restartCount()).isEqualTo(2);
        assertThat(done.status()).isEqualTo(Status.EXITED);
        assertThat(done.state().exitCode()).isEqualTo(1);
        Thread.sleep(600); // no third run comes
        assertThat(lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT)).hasSize(3);

        Container always = create(ContainerConfig.of("busybox", List.of("sh", "-c", "sleep 0.2")),
                HostConfig.DEFAULT.withRestartPolicy(RestartPolicy.parse("always")));
        engine.start(always.id());
        deadline = System.nanoTime() + WAIT.toNanos();
        while (engine.inspect(always.id()).restartCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.inspect(always.id()).restartCount()).isGreaterThanOrEqualTo(2);
        engine.stop(always.id(), Optional.of(5));
        Thread.sleep(500);
        assertThat(engine.inspect(always.id()).status()).isEqualTo(Status.EXITED);
    }

    @Test
    void namesAreUniqueValidatedAndRenamable() {
        Container web = create(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT);
        engine.rename(web.id(), "web");
        assertThat(engine.inspect("web").id()).isEqualTo(web.id());
        assertThat(engine.inspect("/web").id()).isEqualTo(web.id());
        assertThat(engine.inspect(web.id().substring(0, 12)).id()).isEqualTo(web.id());
        assertThatThrownBy(() -> engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT).named("web")))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("Conflict. The container name \"/web\" is already in use by container \""
                            + web.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
                });
        assertThatThrownBy(() -> engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT).named("-bad")))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> engine.inspect("x"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND))
                .hasMessage("No such container: x");
        assertThatThrownBy(() -> engine.start("nope")).hasMessage("No such container: nope");
        assertThatThrownBy(() -> engine.create(CreateRequest.of(ContainerConfig.of("nosuchimage", List.of("true")), HostConfig.DEFAULT)))
                .hasMessage("No such image: nosuchimage:latest");
        engine.remove("web", false);
        assertThatThrownBy(() -> engine.inspect(web.id())).hasMessage("No such container: " + web.id());
    }

    @Test
    void aProgramThatCannotStartGets127AndLeavesNothingRunning() throws Exception {
        Container c = create(List.of("nope"));
        assertThatThrownBy(() -> engine.start(c.id()))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("exec: \"nope\": executable file not found in $PATH");
        Container after = engine.inspect(c.id());
        assertThat(after.state().exitCode()).isEqualTo(127);
        assertThat(after.state().error()).contains("executable file not found");
        assertThat(after.state().running()).isFalse();

        Container notExec = create(List.of("/etc/passwd"));
        assertThatThrownBy(() -> engine.start(notExec.id())).hasMessageContaining("permission denied");
        assertThat(engine.inspect(notExec.id()).state().exitCode()).isEqualTo(126);
    }

    @Test
    void removeNeedsForceWhileRunningAndAutoRemoveRemoves() throws Exception {
        Container c = create(List.of("sleep", "1000"));
        engine.start(c.id());
        assertThatThrownBy(() -> engine.remove(c.id(), false))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT))
                .hasMessageContaining("stop the container before removing or force remove");
        var removed = engine.waitFor(c.id(), WaitCondition.REMOVED);
        engine.remove(c.id(), true);
        assertThat(removed.get().statusCode()).isEqualTo(137);
        assertThat(engine.list(true)).isEmpty();
        assertThat(fx.dataRoot.resolve("containers").resolve(c.id())).doesNotExist();

        Container auto = create(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT.withAutoRemove(true));
        var gone = engine.waitFor(auto.id(), WaitCondition.REMOVED);
        engine.start(auto.id());
        assertThat(gone.get().statusCode()).isZero();
        assertThatThrownBy(() -> engine.inspect(auto.id())).hasMessageStartingWith("No such container");

        // --rm and a program that cannot start: removed too, as dockerd does (the docker CLI's
        // run waits for condition=removed and would otherwise hang)
        Container broken = create(ContainerConfig.of("busybox", List.of("nope")), HostConfig.DEFAULT.withAutoRemove(true));
        var brokenGone = engine.waitFor(broken.id(), WaitCondition.REMOVED);
        assertThatThrownBy(() -> engine.start(broken.id())).hasMessageContaining("executable file not found");
        assertThat(brokenGone.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(127);
        assertThatThrownBy(() -> engine.inspect(broken.id())).hasMessageStartingWith("No such container");
    }

    @Test
    void readOnlyRootfsWithATmpfs() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c", "touch /x 2>/dev/null || echo ro; touch /scratch/y && echo tmpfs")),
                HostConfig.DEFAULT.withMounts(List.of(), List.of(MountSpec.tmpfs("/scratch", 1 << 20, 0)), true));
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT)).containsExactly("ro\n", "tmpfs\n");
    }

    @Test
    void afterACrashRunningContainersAreMarkedExitedAndRestartedByPolicy() throws Exception {
        Container plain = create(List.of("sleep", "1000"));
        Container always = create(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                HostConfig.DEFAULT.withRestartPolicy(RestartPolicy.parse("always")));
        engine.start(plain.id());
        engine.start(always.id());
        int oldPid = engine.inspect(always.id()).state().pid();
        engine.abandonForTest(); // kill -9: nothing cleaned up, records say running
        // and a create that died between the snapshot and the record
        String orphan = dev.berth.engine.container.ContainerId.generate();
        fx.images.snapshotter().prepare(orphan, null);

        engine = fx.engine = fx.openEngine();
        Container p = engine.inspect(plain.id());
        assertThat(p.status()).isEqualTo(Status.EXITED);
        assertThat(p.state().exitCode()).isEqualTo(255);
        Container a = engine.inspect(always.id());
        assertThat(a.status()).isEqualTo(Status.RUNNING);
        assertThat(a.state().pid()).isNotEqualTo(oldPid);
        assertThat(a.restartCount()).isEqualTo(1);
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(fx.images.snapshotter().containerKeys()).doesNotContain(orphan).contains(plain.id(), always.id());
        // the restarted one is watched like any other
        var exit = engine.waitFor(always.id(), WaitCondition.NEXT_EXIT);
        engine.kill(always.id(), "KILL");
        exit.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS); // the exit is recorded, its restart counted, then waiters hear
        assertThat(engine.inspect(always.id()).restartCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void eventsPauseRestartAndRotatedLogs() throws Exception {
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        engine.onEvent(events::add);
        Container c = create(ContainerConfig.of("busybox",
                        List.of("sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done; sleep 1000")),
                HostConfig.DEFAULT.withLogConfig(new LogConfig("json-file", Map.of("max-size", "4k", "max-file", "2"))));
        engine.start(c.id());
        java.nio.file.Path log = engine.logPath(c.id());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (readDuringRotation(log).stream().noneMatch(e -> e.text().equals("line-299\n")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(log.resolveSibling(log.getFileName() + ".1")).exists();
        assertThat(log.resolveSibling(log.getFileName() + ".2")).doesNotExist();
        assertThat(Files.size(log)).isLessThanOrEqualTo(4096);

        engine.pause(c.id());
        assertThat(engine.inspect(c.id()).status()).isEqualTo(Status.PAUSED);
        assertThatThrownBy(() -> engine.pause(c.id())).hasMessageContaining("is already paused");
        engine.unpause(c.id());
        int pid = engine.inspect(c.id()).state().pid();
        engine.restart(c.id(), Optional.of(0));
        Container again = engine.inspect(c.id());
        assertThat(again.status()).isEqualTo(Status.RUNNING);
        assertThat(again.state().pid()).isNotEqualTo(pid);
        engine.remove(c.id(), true);
        assertThat(events).extracting(ContainerEvent::action)
                .containsSubsequence("create", "start", "pause", "unpause", "die", "stop", "start", "restart", "die", "destroy");
        assertThat(events).filteredOn(e -> e.action().equals("die")).first()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("exitCode", "137").containsEntry("image", "busybox"));
    }

    @Test
    void launchLatency() {
        // not an assertion (DESIGN.md: no timed assertions); printed for bench/ comparisons
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            Container c = create(List.of("true"));
            engine.start(c.id());
            engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
            engine.remove(c.id(), false);
            micros.add((System.nanoTime() - t0) / 1000);
        }
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.println("engine create+start+wait+remove of busybox true, us: " + micros + " median " + sorted.get(sorted.size() / 2));
    }

    @Test
    void initAsPidOneAndTheHostsNetwork() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java.nio.file.Path.of("/usr/bin/docker-init")),
                "needs docker-init (tini) for --init");
        HostConfig init = new HostConfig(List.of(), List.of(), false, RestartPolicy.NO, 0, 0, 0, 0, "", Optional.empty(),
                List.of(), List.of(), List.of(), false, List.of(), false, "host", Optional.of(true), LogConfig.DEFAULT);
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline; echo; hostname")), init);
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        String host = Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT))
                .containsExactly("/sbin/docker-init -- sh -c tr '\\0' ' ' < /proc/1/cmdline; echo; hostname \n", host + "\n");
    }

    @Test
    void openStdinFeedsTheProgramAndStdinOnceClosesIt() throws Exception {
        ContainerConfig base = ContainerConfig.of("busybox", List.of("sh", "-c", "cat; echo done"));
        ContainerConfig interactive = new ContainerConfig(base.image(), base.cmd(), base.entrypoint(), base.env(), "", "",
                Map.of(), false, true, true, true, true, true, "", Optional.empty(), "", "", Optional.empty());
        Container c = create(interactive, HostConfig.DEFAULT);
        engine.start(c.id());
        try (var in = engine.stdin(c.id())) {
            in.write("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT)).containsExactly("hello\n", "done\n");
        assertThatThrownBy(() -> engine.stdin(c.id())).hasMessageContaining("is not running");
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWinAndManyRunAtOnce() throws Exception {
        List<Object> results = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Container c = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")),
                            HostConfig.DEFAULT).named("same"));
                    ids.add(c.id());
                    results.add(c);
                } catch (BerthException e) {
                    results.add(e.kind());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results).filteredOn(r -> r instanceof Container).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof BerthException.Kind).containsOnly(BerthException.Kind.CONFLICT).hasSize(7);

        for (int i = 0; i < 10; i++) {
            engine.start(create(List.of("sleep", "1000")).id());
        }
        engine.start("same");
        assertThat(engine.list(false)).hasSize(11);
        assertThat(engine.list(true)).hasSize(11);
        // tearDown removes them with force and checks that nothing is left
    }

    @Test
    void execRunsInTheContainerWithItsOwnEnvUserAndStdin() throws Exception {
        Container c = create(ContainerConfig.of("busybox", List.of("sleep", "1000")).withEnv(List.of("BASE=1")), HostConfig.DEFAULT);
        assertThatThrownBy(() -> engine.execCreate(c.id(), ExecConfig.of(List.of("true"))))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT))
                .hasMessage("Container " + c.id() + " is not running");
        engine.start(c.id());
        String exec = engine.execCreate(c.id(), new ExecConfig(List.of("sh", "-c", "echo $BASE $X; id -u; pwd; echo oops >&2; exit 4"),
                List.of("X=2"), "nobody", "/tmp", false, false, false));
        assertThat(engine.execInspect(exec).running()).isFalse();
        List<LogEntry> output = new CopyOnWriteArrayList<>();
        assertThat(engine.execStart(exec, output::add).get()).isEqualTo(4);
        assertThat(lines(output, LogEntry.Stream.STDOUT)).containsExactly("1 2\n", "65534\n", "/tmp\n");
        assertThat(lines(output, LogEntry.Stream.STDERR)).containsExactly("oops\n");
        assertThat(engine.execInspect(exec).exitCode()).contains(4);
        assertThatThrownBy(() -> engine.execStart(exec, x -> { })).hasMessageContaining("has already run");
        // exec output is not the container's log
        assertThat(LogReader.readAll(engine.logPath(c.id()))).isEmpty();

        String missing = engine.execCreate(c.id(), ExecConfig.of(List.of("nope")));
        assertThatThrownBy(() -> engine.execStart(missing, x -> { }))
                .hasMessageContaining("exec: \"nope\": executable file not found in $PATH");
        assertThat(engine.execInspect(missing).exitCode()).contains(127);

        String cat = engine.execCreate(c.id(), new ExecConfig(List.of("cat"), List.of(), "", "", true, false, false));
        List<LogEntry> echoed = new CopyOnWriteArrayList<>();
        var done = engine.execStart(cat, echoed::add);
        try (var in = engine.execStdin(cat)) {
            in.write("ping\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(done.get()).isZero();
        assertThat(lines(echoed, LogEntry.Stream.STDOUT)).containsExactly("ping\n");
        assertThatThrownBy(() -> engine.execInspect("nope")).hasMessage("No such exec instance: nope");
    }

    @Test
    void healthchecksTurnHealthyAndAnUnhealthyContainerCanBeRestarted() throws Exception {
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        engine.onEvent(events::add);
        var check = new dev.berth.oci.image.ImageConfig.Healthcheck(List.of("CMD-SHELL", "cat /tmp/ok"),
                100_000_000L, 5_000_000_000L, 0, 0, 2);
        Container c = create(ContainerConfig.of("busybox", List.of("sh", "-c", "sleep 1; echo fine > /tmp/ok; sleep 1000"))
                .withHealthcheck(Optional.of(check)), HostConfig.DEFAULT);
        engine.start(c.id());
        assertThat(engine.health(c.id())).hasValueSatisfying(h -> assertThat(h.status()).isEqualTo("starting"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!engine.health(c.id()).orElseThrow().status().equals("healthy") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        var health = engine.health(c.id()).orElseThrow();
        assertThat(health.status()).isEqualTo("healthy");
        assertThat(health.log().getLast().output()).isEqualTo("fine\n");
        assertThat(health.log()).hasSizeLessThanOrEqualTo(5);
        assertThat(events).extracting(ContainerEvent::action).contains("health_status: unhealthy", "health_status: healthy");

        var failing = new dev.berth.oci.image.ImageConfig.Healthcheck(List.of("CMD", "false"), 100_000_000L, 0, 0, 0, 1);
        Container sick = create(ContainerConfig.of("busybox", List.of("sleep", "1000")).withHealthcheck(Optional.of(failing))
                .withLabels(Map.of("berth.restart-on-unhealthy", "true")).withStop("KILL", Optional.empty()), HostConfig.DEFAULT);
        engine.start(sick.id());
        deadline = System.nanoTime() + WAIT.toNanos();
        while (events.stream().noneMatch(e -> e.id().equals(sick.id()) && e.action().equals("restart"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.inspect(sick.id()).restartCount()).isGreaterThanOrEqualTo(1);
        assertThat(events).filteredOn(e -> e.id().equals(sick.id())).extracting(ContainerEvent::action).contains("restart");
        assertThat(HealthMonitor.command(Optional.of(new dev.berth.oci.image.ImageConfig.Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0))))
                .isEmpty();
    }

    @Test
    void topStatsUpdateAndPrune() throws Exception {
        Container c = create(List.of("sleep", "1000"));
        Container done = create(List.of("true"));
        engine.start(done.id());
        engine.await(done.id(), WaitCondition.NOT_RUNNING, WAIT);
        assertThatThrownBy(() -> engine.pids(done.id())).hasMessageContaining("is not running");
        engine.start(c.id());
        assertThat(engine.pids(c.id())).contains(engine.inspect(c.id()).state().pid());
        engine.update(c.id(), Optional.of(64L << 20), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(50L), Optional.of(RestartPolicy.parse("unless-stopped")));
        assertThat(engine.stats(c.id()).memoryLimitBytes()).isEqualTo(64L << 20);
        assertThat(engine.stats(c.id()).pidsLimit()).isEqualTo(50);
        assertThat(engine.inspect(c.id()).hostConfig().restartPolicy().name()).isEqualTo(RestartPolicy.Name.UNLESS_STOPPED);
        // the container still works (its device rules were left alone)
        String exec = engine.execCreate(c.id(), ExecConfig.of(List.of("sh", "-c", "echo x > /dev/null")));
        assertThat(engine.execStart(exec, x -> { }).get()).isZero();
        assertThat(engine.prune()).containsExactly(done.id());
        assertThat(engine.list(true)).extracting(Container::id).containsExactly(c.id());
    }

    @Test
    void diffListsAddedChangedAndDeletedPaths() throws Exception {
        Container c = create(List.of("sh", "-c", "mkdir /new && touch /new/f /etc/added && rm /etc/group && echo x >> /etc/passwd"));
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(engine.changes(c.id())).extracting(ch -> ch.kind().name().charAt(0) + " " + ch.path())
                .containsExactly("M /etc", "A /etc/added", "D /etc/group", "M /etc/passwd", "A /new", "A /new/f");
    }

    @Test
    void aTerminalContainerTalksThroughAPtyAndResizes() throws Exception {
        ContainerConfig tty = new ContainerConfig("busybox", Optional.of(List.of("sh", "-c", "tty; read x; stty size; echo got-$x")),
                Optional.empty(), List.of(), "", "", Map.of(), true, true, true, true, true, true, "", Optional.empty(), "", "",
                Optional.empty());
        Container c = create(tty, HostConfig.DEFAULT);
        assertThatThrownBy(() -> engine.resize(c.id(), 30, 100)).hasMessageContaining("is not running");
        engine.start(c.id());
        engine.resize(c.id(), 30, 100);
        try (var in = engine.stdin(c.id())) {
            in.write("hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        String all = String.join("", lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT));
        assertThat(all).contains("/dev/pts/").contains("30 100\r\n").contains("got-hi\r\n");
        assertThat(lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDERR)).isEmpty();
        Container plain = create(List.of("true"));
        engine.start(plain.id());
        engine.await(plain.id(), WaitCondition.NOT_RUNNING, WAIT);
        assertThat(java.nio.file.Files.exists(fx.execRoot.resolve("tty"))).isTrue();
        try (var left = java.nio.file.Files.list(fx.execRoot.resolve("tty"))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void aTerminalStartsWithTheSizeGivenAtCreate() throws Exception {
        ContainerConfig tty = new ContainerConfig("busybox", Optional.of(List.of("stty", "size")),
                Optional.empty(), List.of(), "", "", Map.of(), true, false, false, false, true, true, "", Optional.empty(), "", "",
                Optional.empty());
        Container c = create(tty, HostConfig.DEFAULT);
        engine.setInitialConsoleSize(c.id(), 40, 120);
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        String all = String.join("", lines(LogReader.readAll(engine.logPath(c.id())), LogEntry.Stream.STDOUT));
        assertThat(all).isEqualTo("40 120\r\n");
    }

    @Test
    void execWithATerminal() throws Exception {
        Container c = create(List.of("sleep", "1000"));
        engine.start(c.id());
        String exec = engine.execCreate(c.id(), new ExecConfig(List.of("sh", "-c", "tty; read x; stty size; echo got-$x"),
                List.of(), "", "", true, true, false));
        List<LogEntry> out = new CopyOnWriteArrayList<>();
        var done = engine.execStart(exec, out::add);
        engine.execResize(exec, 20, 90);
        try (var in = engine.execStdin(exec)) {
            in.write("yo\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(done.get()).isZero();
        String all = String.join("", lines(out, LogEntry.Stream.STDOUT));
        assertThat(all).contains("/dev/pts/").contains("20 90\r\n").contains("got-yo\r\n");
        assertThatThrownBy(() -> engine.execResize(exec, 1, 1)).hasMessageContaining("not running with a terminal");
    }

    @Test
    void exportTarsTheRootFilesystemWithTheContainersChanges() throws Exception {
        Container c = create(List.of("sh", "-c", "echo made > /made && rm /etc/group"));
        engine.start(c.id());
        engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
        var tar = new java.io.ByteArrayOutputStream();
        engine.export(c.id(), tar);
        List<String> names = new ArrayList<>();
        String made = null;
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(tar.toByteArray()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                if (e.getName().endsWith("made")) {
                    made = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(names).anyMatch(n -> n.endsWith("bin/busybox")).anyMatch(n -> n.endsWith("etc/passwd"))
                .noneMatch(n -> n.endsWith("etc/group"));
        assertThat(made).isEqualTo("made\n");
    }

    @Test
    void commitMakesAnImageOfTheChangesThatRunsAgain() throws Exception {
        Container c = create(List.of("sh", "-c", "echo made > /made && rm /etc/group"));
        engine.start(c.id());
        engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
        var image = engine.commit(c.id(), new CommitOptions(Optional.of(dev.berth.oci.image.Reference.parse("committed:1")),
                "a message", "me", List.of("CMD [\"sh\", \"-c\", \"cat /made; test -e /etc/group || echo no-group\"]",
                        "VOLUME /vol"), true));
        var parent = fx.images.inspect("busybox");
        assertThat(image.config().diffIds()).hasSize(parent.config().diffIds().size() + 1);
        assertThat(image.config().history()).hasSize(parent.config().history().size() + 1);
        assertThat(image.config().history().getLast().comment()).isEqualTo("a message");
        assertThat(image.config().author()).isEqualTo("me");
        assertThat(image.familiarRepoTags()).containsExactly("committed:1");

        Container again = create(ContainerConfig.of("committed:1", List.of()), HostConfig.DEFAULT);
        // the image's VOLUME gets an anonymous volume
        assertThat(again.hostConfig().mounts()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MountSpec.Type.VOLUME);
            assertThat(m.target()).isEqualTo("/vol");
            assertThat(engine.volumeInspect(m.source()).anonymous()).isTrue();
        });
        engine.start(again.id());
        assertThat(engine.await(again.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(lines(LogReader.readAll(engine.logPath(again.id())), LogEntry.Stream.STDOUT)).containsExactly("made\n", "no-group\n");
    }

    @Test
    void namedAndAnonymousVolumes() throws Exception {
        Container writer = create(ContainerConfig.of("busybox", List.of("sh", "-c", "echo kept > /data/x")),
                HostConfig.DEFAULT.withMounts(List.of("data:/data"), List.of(MountSpec.volume("", "/anon", false)), false));
        engine.start(writer.id());
        assertThat(engine.await(writer.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        var data = engine.volumeInspect("data");
        assertThat(data.mountpoint().resolve("x")).hasContent("kept");
        String anon = engine.inspect(writer.id()).hostConfig().mounts().getFirst().source();
        assertThat(anon).matches("[0-9a-f]{64}");
        assertThat(engine.volumeInspect(anon).anonymous()).isTrue();

        Container reader = create(ContainerConfig.of("busybox", List.of("cat", "/data/x")),
                HostConfig.DEFAULT.withMounts(List.of("data:/data:ro"), List.of(), false));
        engine.start(reader.id());
        engine.await(reader.id(), WaitCondition.NOT_RUNNING, WAIT);
        assertThat(lines(LogReader.readAll(engine.logPath(reader.id())), LogEntry.Stream.STDOUT)).containsExactly("kept\n");
        assertThatThrownBy(() -> engine.volumeRemove("data", true))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.CONFLICT))
                .hasMessageStartingWith("remove data: volume is in use - [");
        assertThatThrownBy(() -> engine.volumeInspect("nope")).hasMessage("get nope: no such volume");
        assertThatThrownBy(() -> engine.volumeCreate(Optional.of("/abs"), Map.of())).hasMessageContaining("includes invalid characters");

        engine.remove(writer.id(), false, true); // -v: the anonymous volume goes, the named one stays
        assertThat(engine.volumeList()).extracting(v -> v.name()).containsExactly("data");
        engine.remove(reader.id(), false);
        var spare = engine.volumeCreate(Optional.empty(), Map.of("k", "v"));
        assertThat(engine.volumePrune(false)).containsExactly(spare.name());
        assertThat(engine.volumePrune(true)).containsExactly("data");
        assertThat(engine.volumeList()).isEmpty();
    }
}
