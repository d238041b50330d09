package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.BerthException.Kind;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bad input gets a one-line error naming the thing, and leaves nothing behind. */
class BadInputTest extends RuntimeTest {
    @Override
    String idPrefix() {
        return "bad";
    }

    private void assertNothingLeft() {
        assertThat(Files.exists(root.resolve(id))).as("state directory left behind").isFalse();
        Leaks.assertNoCgroupLeft(id);
    }

    private static void assertKind(Throwable t, Kind kind, String... words) {
        assertThat(t).isInstanceOf(BerthException.class);
        assertThat(((BerthException) t).kind()).isEqualTo(kind);
        assertThat(t.getMessage()).doesNotContain("\n");
        for (String w : words) {
            assertThat(t.getMessage()).contains(w);
        }
    }

    @Test
    void missingBundle() {
        Path nowhere = tmp.resolve("nowhere");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, nowhere)));
        assertKind(t, Kind.INVALID_ARGUMENT, "config.json", nowhere.toString());
        assertNothingLeft();
    }

    @Test
    void malformedConfig() throws Exception {
        TestBundle b = TestBundle.create(tmp, "true");
        Files.writeString(b.dir().resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"process\": ");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INVALID_ARGUMENT, "config.json");
        assertNothingLeft();
    }

    @Test
    void relativeCwdNamesTheField() {
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> b.process().put("cwd", "tmp"));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INVALID_ARGUMENT, "process.cwd");
        assertNothingLeft();
    }

    @Test
    void missingRootfs() throws Exception {
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> ((java.util.Map<String, Object>) c.get("root")).put("path", "no-such-rootfs"));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INVALID_ARGUMENT, "no-such-rootfs");
        assertNothingLeft();
    }

    @Test
    void programNotFoundFailsAtCreate() {
        TestBundle b = TestBundle.create(tmp, "no-such-program");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INTERNAL, "no-such-program", "executable file not found");
        assertNothingLeft();
    }

    @Test
    void kernelRefusalNamesTheMount() {
        TestBundle b = TestBundle.create(tmp, "true");
        b.mounts().add(new java.util.LinkedHashMap<>(java.util.Map.of("destination", "/weird", "type", "no-such-fs",
                "source", "none", "options", new java.util.ArrayList<>(List.of()))));
        b.write();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INTERNAL, "/weird");
        assertNothingLeft();
    }

    @Test
    void duplicateIdIsAConflictAndKeepsTheFirst() {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        runtime.create(CreateOptions.of(id, b.dir()));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.CONFLICT, id);
        assertThat(runtime.state(id).pid()).isPositive();
    }

    @Test
    void invalidId() {
        TestBundle b = TestBundle.create(tmp, "true");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of("../evil", b.dir())));
        assertKind(t, Kind.INVALID_ARGUMENT, "../evil");
    }

    @Test
    void unknownIdIsNotFound() {
        for (Runnable verb : List.<Runnable>of(() -> runtime.state("nope"), () -> runtime.start("nope"),
                () -> runtime.kill("nope", 15, false), () -> runtime.delete("nope", false), () -> runtime.pause("nope"))) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(verb::run);
            assertKind(t, Kind.NOT_FOUND, "nope");
        }
    }

    @Test
    void verbsInTheWrongState() {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        runtime.run(CreateOptions.of(id, b.dir()), true);
        assertKind(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.start(id)), Kind.FAILED_PRECONDITION, "running");
        assertKind(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.delete(id, false)), Kind.FAILED_PRECONDITION, id, "running");
        assertKind(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.resume(id)), Kind.FAILED_PRECONDITION, "not paused");
        runtime.delete(id, true);
        assertNothingLeft();
    }

    @Test
    void hostnameWithoutUtsNamespace() {
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> {
            c.put("hostname", "x");
            var ns = (List<Object>) b.linux().get("namespaces");
            ns.removeIf(n -> ((java.util.Map<?, ?>) n).get("type").equals("uts"));
        });
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INVALID_ARGUMENT, "hostname");
        assertNothingLeft();
    }

    @Test
    void failingPrestartHookCleansUp() {
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> c.put("hooks", new java.util.LinkedHashMap<>(java.util.Map.of("prestart",
                new java.util.ArrayList<>(List.of(new java.util.LinkedHashMap<>(java.util.Map.of("path", "/bin/false"))))))));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> runtime.create(CreateOptions.of(id, b.dir())));
        assertKind(t, Kind.INTERNAL, "prestart", "/bin/false");
        assertNothingLeft();
    }
}
