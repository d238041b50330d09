package dev.berth.oci.runtime.json;

import static dev.berth.oci.json.Json.sortedByKey;
import static dev.berth.oci.json.Json.unsigned;

import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.ConsoleSize;
import dev.berth.oci.runtime.Hook;
import dev.berth.oci.runtime.Hooks;
import dev.berth.oci.runtime.IdMapping;
import dev.berth.oci.runtime.Mount;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Rlimit;
import dev.berth.oci.runtime.Root;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.User;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link Spec} → config.json tree, field for field in the order and with the omissions of the
 * Go structs in runtime-spec's specs-go/config.go, so that what we write equals what runc and
 * containerd write for the same config.
 */
final class SpecEncoder {
    private SpecEncoder() {}

    static Map<String, Object> spec(Spec s) {
        return JsonObjectBuilder.create()
                .put("ociVersion", orEmpty(s.ociVersion()))
                .omitNull("process", nullable(s.process(), SpecEncoder::process))
                .omitNull("root", nullable(s.root(), SpecEncoder::root))
                .omitEmpty("hostname", s.hostname())
                .omitEmpty("domainname", s.domainname())
                .omitEmpty("mounts", each(s.mounts(), SpecEncoder::mount))
                .omitNull("hooks", nullable(s.hooks(), SpecEncoder::hooks))
                .omitEmpty("annotations", sortedByKey(s.annotations()))
                .omitNull("linux", nullable(s.linux(), LinuxEncoder::linux))
                .build();
    }

    static <T> List<Object> each(List<T> items, Function<T, Object> encoder) {
        return items.stream().map(encoder).toList();
    }

    static <T> Object nullable(T value, Function<T, Object> encoder) {
        return value == null ? null : encoder.apply(value);
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The unsigned value held in an Integer's bits, or null. */
    static Long uint32(Integer bits) {
        return bits == null ? null : Integer.toUnsignedLong(bits);
    }

    static Object idMapping(IdMapping m) {
        return JsonObjectBuilder.create()
                .put("containerID", m.containerID())
                .put("hostID", m.hostID())
                .put("size", m.size())
                .build();
    }

    private static Object process(Process p) {
        return JsonObjectBuilder.create()
                .omitEmpty("terminal", p.terminal())
                .omitNull("consoleSize", nullable(p.consoleSize(), SpecEncoder::consoleSize))
                .put("user", user(p.user() == null ? new User(0, 0, null, null, null) : p.user()))
                .omitEmpty("args", p.args())
                .omitEmpty("commandLine", p.commandLine())
                .omitEmpty("env", p.env())
                .put("cwd", orEmpty(p.cwd()))
                .omitNull("capabilities", nullable(p.capabilities(), SpecEncoder::capabilities))
                .omitEmpty("rlimits", each(p.rlimits(), SpecEncoder::rlimit))
                .omitEmpty("noNewPrivileges", p.noNewPrivileges())
                .omitEmpty("apparmorProfile", p.apparmorProfile())
                .omitNull("oomScoreAdj", p.oomScoreAdj())
                .omitEmpty("selinuxLabel", p.selinuxLabel())
                .build();
    }

    private static Object consoleSize(ConsoleSize c) {
        return JsonObjectBuilder.create()
                .put("height", Integer.toUnsignedLong(c.height()))
                .put("width", Integer.toUnsignedLong(c.width()))
                .build();
    }

    private static Object user(User u) {
        return JsonObjectBuilder.create()
                .put("uid", u.uid())
                .put("gid", u.gid())
                .omitNull("umask", uint32(u.umask()))
                .omitEmpty("additionalGids", u.additionalGids())
                .omitEmpty("username", u.username())
                .build();
    }

    private static Object capabilities(Capabilities c) {
        return JsonObjectBuilder.create()
                .omitEmpty("bounding", c.bounding())
                .omitEmpty("effective", c.effective())
                .omitEmpty("inheritable", c.inheritable())
                .omitEmpty("permitted", c.permitted())
                .omitEmpty("ambient", c.ambient())
                .build();
    }

    private static Object rlimit(Rlimit r) {
        return JsonObjectBuilder.create()
                .put("type", orEmpty(r.type()))
                .put("hard", unsigned(r.hard()))
                .put("soft", unsigned(r.soft()))
                .build();
    }

    private static Object root(Root r) {
        return JsonObjectBuilder.create()
                .put("path", orEmpty(r.path()))
                .omitEmpty("readonly", r.readonly())
                .build();
    }

    private static Object mount(Mount m) {
        return JsonObjectBuilder.create()
                .put("destination", orEmpty(m.destination()))
                .omitEmpty("type", m.type())
                .omitEmpty("source", m.source())
                .omitEmpty("options", m.options())
                .omitEmpty("uidMappings", each(m.uidMappings(), SpecEncoder::idMapping))
                .omitEmpty("gidMappings", each(m.gidMappings(), SpecEncoder::idMapping))
                .build();
    }

    private static Object hooks(Hooks h) {
        return JsonObjectBuilder.create()
                .omitEmpty("prestart", each(h.prestart(), SpecEncoder::hook))
                .omitEmpty("createRuntime", each(h.createRuntime(), SpecEncoder::hook))
                .omitEmpty("createContainer", each(h.createContainer(), SpecEncoder::hook))
                .omitEmpty("startContainer", each(h.startContainer(), SpecEncoder::hook))
                .omitEmpty("poststart", each(h.poststart(), SpecEncoder::hook))
                .omitEmpty("poststop", each(h.poststop(), SpecEncoder::hook))
                .build();
    }

    private static Object hook(Hook h) {
        return JsonObjectBuilder.create()
                .put("path", orEmpty(h.path()))
                .omitEmpty("args", h.args())
                .omitEmpty("env", h.env())
                .omitNull("timeout", h.timeout())
                .build();
    }
}
