package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.runtime.State.Status;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The six hook kinds of config.md "POSIX-platform Hooks": each gets the state on stdin, runs at
 * its point of the lifecycle, and a failure aborts or only warns as runtime.md says.
 */
class HookTest {
    static final List<String> HOST_SIDE = List.of("prestart", "createRuntime", "createContainer", "poststart", "poststop");

    @TempDir
    Path tmp;
    Harness h;
    TestBundle b;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "hook");
        b = h.bundle("sh", "-c", "echo process >> /out/order; sleep 60");
        b.edit(c -> c.put("annotations", new LinkedHashMap<>(Map.of("org.berth.test", "hooks"))));
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /** A hook running sh -c script: the host's sh, or for startContainer the container's. */
    private static Map<String, Object> hook(String script, Integer timeout) {
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("path", "/bin/sh");
        hook.put("args", new ArrayList<>(List.of("sh", "-c", script)));
        hook.put("env", new ArrayList<>(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin")));
        if (timeout != null) {
            hook.put("timeout", timeout);
        }
        return hook;
    }

    @SuppressWarnings("unchecked")
    private void addHook(String kind, Map<String, Object> hook) {
        b.edit(c -> ((List<Object>) ((Map<String, Object>) c.computeIfAbsent("hooks", k -> new LinkedHashMap<>()))
                .computeIfAbsent(kind, k -> new ArrayList<>())).add(hook));
    }

    /** Saves its stdin as KIND.json and appends KIND to the order file (dir: where /out is, seen by the hook). */
    private static String recorder(String kind, String dir) {
        return "cat > " + dir + "/" + kind + ".json; echo " + kind + " >> " + dir + "/order";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stateSeenBy(String kind) {
        return (Map<String, Object>) Json.parse(b.read(kind + ".json"));
    }

    @Test
    void everyKindRunsInOrderWithTheState() {
        String out = b.out().toString();
        for (String kind : HOST_SIDE) {
            String script = recorder(kind, out);
            if (kind.equals("createContainer")) {
                // in the container's mount namespace, before pivot_root: its /proc is mounted
                script += "; test -f " + b.rootfs() + "/proc/self/status && echo yes > " + out + "/sees-rootfs";
            }
            addHook(kind, hook(script, null));
        }
        // after pivot_root: the path is the container's /bin/sh, /out its view of the out dir
        addHook("startContainer", hook(recorder("startContainer", "/out") + "; test -f /bin/busybox && echo yes > /out/in-container", null));

        h.create();
        assertThat(b.read("order").split("\n")).containsExactly("prestart", "createRuntime", "createContainer");
        h.runtime.start(h.id);
        Harness.waitFor(() -> Files.exists(b.out().resolve("poststart.json")));
        Harness.waitFor(() -> b.read("order").contains("process"));
        List<String> order = List.of(b.read("order").split("\n"));
        assertThat(order.subList(0, 4)).containsExactly("prestart", "createRuntime", "createContainer", "startContainer");
        assertThat(order).contains("process", "poststart").doesNotContain("poststop");
        h.runtime.delete(h.id, true);
        order = List.of(b.read("order").split("\n"));
        assertThat(order.getLast()).isEqualTo("poststop");

        assertThat(b.read("sees-rootfs").trim()).isEqualTo("yes");
        assertThat(b.read("in-container").trim()).isEqualTo("yes");
        for (String kind : List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop")) {
            Map<String, Object> state = stateSeenBy(kind);
            assertThat(state.get("id")).as(kind).isEqualTo(h.id);
            assertThat(state.get("bundle")).as(kind).isEqualTo(b.dir().toString());
            assertThat(state.get("annotations")).as(kind).isEqualTo(Map.of("org.berth.test", "hooks"));
            assertThat(state.get("status")).as(kind).isNotNull();
            if (!kind.equals("poststop")) {
                assertThat(((Number) state.get("pid")).intValue()).as(kind).isPositive();
            }
        }
        assertThat(stateSeenBy("poststart").get("status")).isEqualTo("running");
        assertThat(stateSeenBy("poststop").get("status")).isEqualTo("stopped");
    }

    /**
     * prestart and createRuntime run once the container's mounts are made, before pivot_root
     * (runc's procHooks): hooks such as nvidia-container-toolkit's enter the container's mount
     * namespace by its pid and add to what is mounted there.
     */
    @Test
    void runtimeNamespaceHooksRunOnceTheMountsAreMade() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/nsenter")), "needs nsenter(1)");
        for (String kind : List.of("prestart", "createRuntime")) {
            addHook(kind, hook("pid=$(tr -d '\\n' | sed 's/.*\"pid\": *\\([0-9]*\\).*/\\1/'); nsenter --mount=/proc/$pid/ns/mnt"
                    + " test -c " + b.rootfs() + "/dev/null && echo yes > " + b.out() + "/" + kind + "-sees-mounts; echo $pid > " + b.out() + "/" + kind + ".pid", null));
        }
        h.create();
        assertThat(b.read("prestart.pid").trim()).isEqualTo(Integer.toString(h.runtime.state(h.id).pid()));
        assertThat(b.out().resolve("prestart-sees-mounts")).exists();
        assertThat(b.read("prestart-sees-mounts").trim()).isEqualTo("yes");
        assertThat(b.read("createRuntime-sees-mounts").trim()).isEqualTo("yes");
    }

    @Test
    void aFailingCreateRuntimeHookAbortsCreateAndCleansUp() {
        addHook("createRuntime", hook("exit 3", null));
        assertThatThrownBy(() -> h.create()).isInstanceOf(BerthException.class)
                .hasMessageContaining("createRuntime").hasMessageContaining("/bin/sh").hasMessageNotContaining("\n");
        assertThat(h.runtime.list()).isEmpty();
        assertThat(Files.exists(b.out().resolve("order"))).as("the container's process must not run").isFalse();
    }

    @Test
    void aFailedCreateStillRunsThePoststopHooks() {
        addHook("prestart", hook("exit 1", null));
        addHook("poststop", hook(recorder("poststop", b.out().toString()), null));
        assertThatThrownBy(() -> h.create()).isInstanceOf(BerthException.class).hasMessageContaining("prestart");
        assertThat(b.read("order").trim()).isEqualTo("poststop");
        assertThat(stateSeenBy("poststop").get("status")).isEqualTo("stopped");
    }

    @Test
    void aFailingCreateContainerHookAbortsCreateAndCleansUp() {
        addHook("createContainer", hook("exit 4", null));
        assertThatThrownBy(() -> h.create()).isInstanceOf(BerthException.class)
                .hasMessageContaining("createContainer hook /bin/sh").hasMessageContaining("4").hasMessageNotContaining("\n");
        assertThat(h.runtime.list()).isEmpty();
    }

    @Test
    void aHangingPrestartHookIsKilledAtItsTimeout() {
        addHook("prestart", hook("echo $$ > " + b.out() + "/hook.pid; exec sleep 60", 1));
        assertThatThrownBy(() -> h.create()).isInstanceOf(BerthException.class).hasMessageContaining("timed out");
        assertThat(h.runtime.list()).isEmpty();
        int pid = Integer.parseInt(b.read("hook.pid").trim());
        Harness.waitFor(() -> ProcStat.read(pid).map(s -> s.state() == 'Z').orElse(true));
    }

    @Test
    void aHangingCreateContainerHookIsKilledAtItsTimeout() {
        addHook("createContainer", hook("exec sleep 60", 1));
        assertThatThrownBy(() -> h.create()).isInstanceOf(BerthException.class).hasMessageContaining("timed out");
        assertThat(h.runtime.list()).isEmpty();
    }

    @Test
    void aFailingPoststartHookOnlyWarns() {
        addHook("poststart", hook("exit 1", null));
        h.create();
        h.runtime.start(h.id);
        assertThat(h.status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aFailingPoststopHookOnlyWarns() {
        addHook("poststop", hook("exit 1", null));
        h.runDetached();
        h.runtime.delete(h.id, true);
        assertThat(h.runtime.list()).isEmpty();
    }
}
