package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.User;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import dev.berth.runtime.testing.ConsoleRelay;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Behaviours that runc's own integration tests (tests/integration/*.bats) check and berth once
 * lacked; each test names the bats test it stands for. tests/conformance/ runs the real suite.
 */
class RuncConformanceTest extends RuntimeTest {
    @Override
    String idPrefix() {
        return "rc";
    }

    /** A cwd only its owner may enter, owned by the container's user: 42, mode 700. */
    private TestBundle bundleWithPrivateCwd(String... args) throws Exception {
        TestBundle b = TestBundle.create(tmp, args);
        Path home = b.rootfs().resolve("root");
        Files.setAttribute(home, "unix:uid", 42);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        b.edit(c -> {
            b.process().put("cwd", "/root");
            b.process().put("user", new LinkedHashMap<>(Map.of("uid", 42, "gid", 42)));
        });
        return b;
    }

    /** cwd.bats "runc exec --user with no access to cwd": root without CAP_DAC_OVERRIDE in the container. */
    @Test
    void execAsRootEntersACwdOnlyTheContainerUserMayEnter() throws Exception {
        TestBundle b = bundleWithPrivateCwd("sleep", "30");
        runtime.run(CreateOptions.of(id, b.dir()), true);
        Process base = runtime.spec(id).process();
        Process asRoot = new Process(false, null, "/root", base.env(), List.of("sh", "-c", "pwd > /out/pwd"), null,
                List.of(), null, base.capabilities(), base.noNewPrivileges(), null, null, new User(0, 0, null, List.of(), null));
        int code = runtime.exec(id, new ExecOptions(asRoot, false, Optional.empty(), Optional.empty(), 0));
        assertThat(code).isZero();
        assertThat(b.read("pwd").trim()).isEqualTo("/root");
    }

    /** cwd.bats "runc create can chdir if runc has access": the runtime enters cwd before it switches user. */
    @Test
    void initEntersACwdOnlyTheRuntimeMayEnter() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "pwd > /out/pwd");
        Files.setPosixFilePermissions(b.rootfs().resolve("root"), PosixFilePermissions.fromString("rwx------"));
        b.edit(c -> {
            b.process().put("cwd", "/root");
            b.process().put("user", new LinkedHashMap<>(Map.of("uid", 42, "gid", 42)));
        });
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("pwd").trim()).isEqualTo("/root");
    }

    /** cgroups.bats "runc run/create should refuse pre-existing frozen cgroup": it would hang the init. */
    @Test
    void refusesACgroupThatIsAlreadyFrozen() throws Exception {
        String rel = "/berth-frozen-" + id;
        Path v1 = Path.of("/sys/fs/cgroup/freezer");
        Path v2 = Path.of("/sys/fs/cgroup/cgroup.controllers");
        Path dir;
        Path freezeFile;
        String frozen;
        if (Files.isDirectory(v1)) {
            dir = Path.of(v1 + rel);
            freezeFile = dir.resolve("freezer.state");
            frozen = "FROZEN";
        } else if (Files.exists(v2)) {
            dir = Path.of("/sys/fs/cgroup" + rel);
            freezeFile = dir.resolve("cgroup.freeze");
            frozen = "1";
        } else {
            org.junit.jupiter.api.Assumptions.abort("needs a cgroup v1 freezer or cgroup v2");
            return;
        }
        Files.createDirectory(dir);
        try {
            Files.writeString(freezeFile, frozen);
            TestBundle b = TestBundle.create(tmp, "true");
            b.edit(c -> b.linux().put("cgroupsPath", rel));
            assertThatThrownBy(() -> runtime.run(CreateOptions.of(id, b.dir()), false))
                    .isInstanceOf(BerthException.class)
                    .hasMessageContaining("container's cgroup unexpectedly frozen");
            assertThat(runtime.list()).isEmpty();
        } finally {
            Files.writeString(freezeFile, frozen.equals("1") ? "0" : "THAWED");
            Files.delete(dir);
        }
    }

    /** kill.bats "kill detached busybox": kill --all after the container stopped succeeds. */
    @Test
    void killAllAfterTheContainerStoppedSucceeds() {
        TestBundle b = TestBundle.create(tmp, "true");
        runtime.run(CreateOptions.of(id, b.dir()), false, true);
        assertThat(runtime.state(id).status()).isEqualTo(dev.berth.oci.runtime.State.Status.STOPPED);
        runtime.kill(id, 0, true);
        assertThatThrownBy(() -> runtime.kill(id, 0, false)).hasMessageContaining("container not running");
    }

    /** hooks.bats "runc run (hooks library tests)": createContainer hooks run in the rootfs. */
    @Test
    void createContainerHooksRunInTheRootfs() {
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> c.put("hooks", Map.of("createContainer", List.of(Map.of(
                "path", "/bin/sh", "args", List.of("sh", "-c", "pwd > out/hook-cwd"))))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("hook-cwd").trim()).isEqualTo(b.rootfs().toString());
    }

    /**
     * no_pivot.bats "runc run --no-pivot must not expose bare /proc": the host's full /proc stays
     * out of the container's mount namespace, so a nested user namespace may not mount a new one.
     */
    @Test
    @SuppressWarnings("unchecked")
    void noPivotLeavesNoHostProcToMountAFreshProcBeside() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c",
                "unshare -mrpf sh -c 'mount -t proc none /proc' 2> /out/err; echo $? > /out/rc");
        b.edit(c -> {
            Map<String, Object> caps = (Map<String, Object>) b.process().get("capabilities");
            for (String set : List.of("bounding", "permitted")) {
                List<Object> list = new java.util.ArrayList<>((List<Object>) caps.get(set));
                list.add("CAP_SETFCAP");
                caps.put(set, list);
            }
        });
        var options = new CreateOptions(id, b.dir(), Optional.empty(), Optional.empty(), true, false, 0);
        assertThat(runtime.run(options, false)).isZero();
        assertThat(b.read("rc").trim()).isNotEqualTo("0");
        assertThat(b.read("err")).contains("permission denied");
    }

    /** seccomp.bats "(startContainer hook)": the hook runs under the filter, runc's error words. */
    @Test
    void startContainerHooksRunUnderTheSeccompFilter() {
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> {
            b.linux().put("seccomp", Map.of("defaultAction", "SCMP_ACT_ALLOW",
                    "syscalls", List.of(Map.of("names", List.of("mkdir", "mkdirat"), "action", "SCMP_ACT_KILL"))));
            c.put("hooks", Map.of("startContainer", List.of(Map.of(
                    "path", "/bin/sh", "args", List.of("sh", "-c", "mkdir /tmp/hook-dir")))));
        });
        assertThatThrownBy(() -> runtime.run(CreateOptions.of(id, b.dir()), false))
                .hasMessageContaining("error running hook")
                .hasMessageContaining("bad system call");
    }

    /** seccomp.bats "-ENOSYS handling": a filter that denies close_range must not stop the start. */
    @Test
    void aFilterDenyingCloseRangeStillStarts() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "echo ok > /out/ran");
        b.edit(c -> b.linux().put("seccomp", Map.of("defaultAction", "SCMP_ACT_ALLOW",
                "syscalls", List.of(Map.of("names", List.of("close_range"), "action", "SCMP_ACT_ERRNO")))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("ran").trim()).isEqualTo("ok");
    }

    /** mounts.bats "runc run [ro /dev mount]": devices go in first, then /dev turns read-only in place. */
    @Test
    @SuppressWarnings("unchecked")
    void readOnlyDevIsRemountedInPlaceAfterTheDevices() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "grep '^tmpfs /dev ' /proc/mounts > /out/dev; ls /dev/null >> /out/dev");
        b.edit(c -> {
            for (Object o : b.mounts()) {
                Map<String, Object> m = (Map<String, Object>) o;
                if ("/dev".equals(m.get("destination"))) {
                    List<Object> options = new java.util.ArrayList<>((List<Object>) m.get("options"));
                    options.add("ro");
                    m.put("options", options);
                }
            }
        });
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        List<String> lines = b.read("dev").lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" ro,");
        assertThat(lines.get(1)).isEqualTo("/dev/null");
    }

    /** mounts_recursive.bats "rbind,rro": read-only reaches the mounts under the bind source. */
    @Test
    void rroMakesTheWholeBindTreeReadOnly() throws Exception {
        Path vol = Files.createDirectories(tmp.resolve("vol/sub"));
        Syscalls sys = new LinuxSyscalls();
        java.lang.Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", vol.toString()).inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "needs mount(8) for a submount");
        try {
            TestBundle b = TestBundle.create(tmp, "sh", "-c",
                    "touch /mnt/top 2>/dev/null; echo $? > /out/top; touch /mnt/sub/x 2>/dev/null; echo $? > /out/sub");
            Path top = vol.getParent();
            b.edit(c -> b.mounts().add(new LinkedHashMap<>(Map.of("destination", "/mnt", "type", "bind",
                    "source", top.toString(), "options", List.of("rbind", "rro")))));
            assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
            assertThat(b.read("top").trim()).isNotEqualTo("0");
            assertThat(b.read("sub").trim()).isNotEqualTo("0");
        } finally {
            new ProcessBuilder("umount", vol.toString()).inheritIO().start().waitFor();
        }
    }

    /** tty.bats "[tty owner] ({u,g}id != 0)": the terminal belongs to the process's user. */
    @Test
    void theTerminalBelongsToTheProcessUser() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "stat -c %u $(tty)");
        b.edit(c -> {
            b.process().put("terminal", true);
            b.process().put("user", new LinkedHashMap<>(Map.of("uid", 1000, "gid", 100)));
        });
        Syscalls sys = new LinuxSyscalls();
        Path log = Files.createFile(tmp.resolve("console.log"));
        int in = sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
        int out = sys.open(log, Syscalls.O_WRONLY);
        try (ConsoleRelay relay = ConsoleRelay.open(in, out)) {
            assertThat(runtime.run(new CreateOptions(id, b.dir(), Optional.empty(), Optional.of(relay.socket()),
                    false, false, 0), false)).isZero();
            relay.drain();
        } finally {
            sys.close(in);
            sys.close(out);
        }
        assertThat(Files.readString(log).trim()).isEqualTo("1000");
    }

    /** cgroups.bats "runc exec --ignore-paused": the process waits frozen until resume, then runs. */
    @Test
    void execIgnoringPauseRunsOnceResumed() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        runtime.run(CreateOptions.of(id, b.dir()), true);
        runtime.pause(id);
        Process base = runtime.spec(id).process();
        Process p = new Process(false, null, "/", base.env(), List.of("sh", "-c", "echo ok > /out/exec"), null,
                List.of(), null, base.capabilities(), base.noNewPrivileges(), null, null, base.user());
        ExecOptions options = new ExecOptions(p, false, Optional.empty(), Optional.empty(), 0);
        assertThatThrownBy(() -> runtime.exec(id, options)).hasMessageContaining("paused");
        Thread resumer = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            runtime.resume(id);
        });
        resumer.start();
        assertThat(runtime.exec(id, options, true)).isZero();
        resumer.join();
        assertThat(b.read("exec").trim()).isEqualTo("ok");
    }

    /** userns.bats "userns with simple mount": the init becomes the namespace's root before the mounts. */
    @Test
    @SuppressWarnings("unchecked")
    void aUserNamespaceWithAnUnmappedRootfsOwnerStarts() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "id -u > /out/uid");
        for (Path p = b.dir(); p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            if (p.startsWith(tmp.getParent())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.setPosixFilePermissions(b.out(), PosixFilePermissions.fromString("rwxrwxrwx"));
        b.edit(c -> {
            ((List<Object>) b.linux().get("namespaces")).add(new LinkedHashMap<>(Map.of("type", "user")));
            b.linux().put("uidMappings", List.of(Map.of("hostID", 100000, "containerID", 0, "size", 65534)));
            b.linux().put("gidMappings", List.of(Map.of("hostID", 100000, "containerID", 0, "size", 65534)));
        });
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("uid").trim()).isEqualTo("0");
    }

    /**
     * userns.bats "userns with 2 inaccessible mounts": bind sources that only the host's root may
     * reach (mode 700 on the way) are opened before the user namespace exists, as runc does.
     */
    @Test
    @SuppressWarnings("unchecked")
    void bindSourcesOnlyTheHostRootMayReachMountInAUserNamespace() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "cat /tmp/m1/foo.txt /tmp/m2/foo.txt > /out/read");
        for (Path p = b.dir(); p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            if (p.startsWith(tmp.getParent())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.setPosixFilePermissions(b.out(), PosixFilePermissions.fromString("rwxrwxrwx"));
        List<Object> binds = new java.util.ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path dir = Files.createDirectories(b.dir().resolve("private-" + i + "/dir"));
            Files.writeString(dir.resolve("foo.txt"), "foo" + i + "\n");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(dir.resolve("foo.txt"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(b.rootfs().resolve("tmp/m" + i)); // as the bats test does: root owns /tmp
            binds.add(Map.of("source", "private-" + i + "/dir", "destination", "/tmp/m" + i, "options", List.of("bind")));
        }
        b.edit(c -> {
            ((List<Object>) b.linux().get("namespaces")).add(new LinkedHashMap<>(Map.of("type", "user")));
            b.linux().put("uidMappings", List.of(Map.of("hostID", 100000, "containerID", 0, "size", 65534)));
            b.linux().put("gidMappings", List.of(Map.of("hostID", 100000, "containerID", 0, "size", 65534)));
            b.mounts().addAll(binds);
        });
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("read")).isEqualTo("foo1\nfoo2\n");
    }
}
