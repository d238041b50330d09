package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.plan.Capability;
import dev.berth.runtime.testing.TestBundle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A container made from the default spec is confined as Docker's and runc's are. */
class SecurityTest extends RuntimeTest {
    @Override
    String idPrefix() {
        return "sec";
    }

    private TestBundle run(String script) {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", script);
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        return b;
    }

    @Test
    void maskedPathsAreUnreadable() {
        TestBundle b = run("cat /proc/kcore > /out/kcore 2>&1; echo $? >> /out/kcore; ls /proc/acpi | wc -l > /out/acpi");
        assertThat(b.read("kcore").length()).isLessThan(200);
        assertThat(b.read("acpi").trim()).isEqualTo("0");
    }

    @Test
    void procSysIsReadOnly() {
        TestBundle b = run("(echo 1 > /proc/sys/kernel/domainname) 2> /out/err; echo $? > /out/rc");
        assertThat(b.read("rc").trim()).isNotEqualTo("0");
        assertThat(b.read("err")).containsIgnoringCase("read-only");
    }

    @Test
    void processHoldsExactlyTheListedCapabilities() {
        TestBundle b = run("grep Cap /proc/self/status > /out/caps");
        long expected = Capability.mask(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        Map<String, Long> caps = new java.util.HashMap<>();
        for (String line : b.read("caps").split("\n")) {
            String[] f = line.split(":\\s*");
            caps.put(f[0], Long.parseUnsignedLong(f[1].trim(), 16));
        }
        assertThat(caps.get("CapEff")).isEqualTo(expected);
        assertThat(caps.get("CapPrm")).isEqualTo(expected);
        assertThat(caps.get("CapBnd")).isEqualTo(expected);
        assertThat(caps.get("CapAmb")).isEqualTo(0L);
    }

    @Test
    @SuppressWarnings("restriction")
    void signalsIgnoredByTheEngineAreNotIgnoredInTheContainer() {
        // an engine started from a shell with & ignores SIGINT; its containers must not inherit that
        sun.misc.Signal intr = new sun.misc.Signal("INT");
        sun.misc.SignalHandler before = sun.misc.Signal.handle(intr, sun.misc.SignalHandler.SIG_IGN);
        TestBundle b;
        try {
            b = run("grep -E 'SigIgn|SigBlk' /proc/self/status > /out/sig");
        } finally {
            sun.misc.Signal.handle(intr, before);
        }
        for (String line : b.read("sig").split("\n")) {
            long mask = Long.parseUnsignedLong(line.split(":\\s*")[1].trim(), 16);
            assertThat(mask & 0x2L).as(line + ": SIGINT").isZero();
        }
    }

    @Test
    void noNewPrivilegesHolds() {
        TestBundle b = run("grep NoNewPrivs /proc/self/status > /out/nnp");
        assertThat(b.read("nnp")).contains("1");
    }

    @Test
    void devicesOutsideTheListCannotBeOpened() {
        TestBundle b = run("mknod /tmp/sda b 8 0 2>/out/mknod; echo $? > /out/rc; ls /dev > /out/dev");
        assertThat(b.read("rc").trim()).isNotEqualTo("0");
        assertThat(b.read("dev").split("\n")).contains("null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "ptmx");
    }

    @Test
    void readOnlyRoot() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "(touch /newfile) 2>/out/err; echo $? > /out/rc");
        b.edit(c -> ((Map<String, Object>) c.get("root")).put("readonly", true));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("rc").trim()).isNotEqualTo("0");
        assertThat(b.read("err")).containsIgnoringCase("read-only");
    }

    @Test
    void userAndGroupsApply() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "id > /out/id");
        b.edit(c -> b.process().put("user", new java.util.LinkedHashMap<>(Map.of("uid", 65534, "gid", 65534,
                "additionalGids", new java.util.ArrayList<>(List.of(5, 6))))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("id")).contains("uid=65534").contains("gid=65534").contains("groups=5,6");
    }

    @Test
    void rlimitsApply() {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "ulimit -n > /out/nofile");
        b.edit(c -> b.process().put("rlimits", new java.util.ArrayList<>(List.of(new java.util.LinkedHashMap<>(
                Map.of("type", "RLIMIT_NOFILE", "soft", 123, "hard", 456))))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("nofile").trim()).isEqualTo("123");
    }
}
