package dev.berth.oci.runtime.json;

import dev.berth.oci.json.JsonObject;
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
import java.util.ArrayList;
import java.util.List;

/**
 * config.json tree → {@link Spec}, for the platform-neutral part (config.md); linux is read by
 * {@link LinuxDecoder}. Follows Go's encoding/json: absent and null read the same, a missing
 * number reads as 0, and an empty optional string reads as absent (null).
 *
 * <p>Every {@code create} runs this in a fresh JVM, so it is written without lambdas or streams
 * (each lambda is a class generated at first use) and reads {@code orElse(null)} for absent parts.
 */
final class SpecDecoder {
    private SpecDecoder() {}

    static Spec spec(JsonObject o) {
        JsonObject process = o.object("process").orElse(null);
        JsonObject root = o.object("root").orElse(null);
        JsonObject hooks = o.object("hooks").orElse(null);
        JsonObject linux = o.object("linux").orElse(null);
        List<Mount> mounts = new ArrayList<>();
        for (JsonObject m : o.objectList("mounts")) {
            mounts.add(mount(m));
        }
        return new Spec(
                text(o, "ociVersion"),
                process == null ? null : process(process),
                root == null ? null : new Root(text(root, "path"), flag(root, "readonly")),
                text(o, "hostname"),
                text(o, "domainname"),
                mounts,
                hooks == null ? null : hooks(hooks),
                o.stringMap("annotations"),
                linux == null ? null : LinuxDecoder.linux(linux));
    }

    /** An optional string; "" is treated as absent, as Go's omitempty does on the way out. */
    static String text(JsonObject o, String key) {
        String s = o.string(key).orElse(null);
        return s == null || s.isEmpty() ? null : s;
    }

    static boolean flag(JsonObject o, String key) {
        return o.bool(key).orElse(false);
    }

    /** A uint32 kept in the bits of an Integer, for record components typed Integer. */
    static Integer uint32Bits(JsonObject o, String key) {
        Long value = o.uint32(key).orElse(null);
        return value == null ? null : value.intValue();
    }

    static Integer int32(JsonObject o, String key) {
        Long value = o.int32(key).orElse(null);
        return value == null ? null : value.intValue();
    }

    static List<IdMapping> idMappings(JsonObject o, String key) {
        List<IdMapping> out = new ArrayList<>();
        for (JsonObject m : o.objectList(key)) {
            out.add(new IdMapping(m.uint32("containerID").orElse(0L), m.uint32("hostID").orElse(0L), m.uint32("size").orElse(0L)));
        }
        return out;
    }

    private static Process process(JsonObject o) {
        JsonObject consoleSize = o.object("consoleSize").orElse(null);
        JsonObject capabilities = o.object("capabilities").orElse(null);
        JsonObject user = o.object("user").orElse(null);
        List<Rlimit> rlimits = new ArrayList<>();
        for (JsonObject r : o.objectList("rlimits")) {
            rlimits.add(new Rlimit(text(r, "type"), r.uint64("soft").orElse(0L), r.uint64("hard").orElse(0L)));
        }
        return new Process(
                flag(o, "terminal"),
                consoleSize == null ? null : new ConsoleSize(
                        consoleSize.uint32("height").orElse(0L).intValue(), consoleSize.uint32("width").orElse(0L).intValue()),
                text(o, "cwd"),
                o.strings("env"),
                o.strings("args"),
                text(o, "commandLine"),
                rlimits,
                text(o, "apparmorProfile"),
                capabilities == null ? null : capabilities(capabilities),
                flag(o, "noNewPrivileges"),
                int32(o, "oomScoreAdj"),
                text(o, "selinuxLabel"),
                // process.user is a plain struct in Go: absent means uid 0, gid 0
                user == null ? new User(0, 0, null, null, null) : user(user));
    }

    private static User user(JsonObject o) {
        return new User(
                o.uint32("uid").orElse(0L),
                o.uint32("gid").orElse(0L),
                uint32Bits(o, "umask"),
                o.uint32s("additionalGids"),
                text(o, "username"));
    }

    private static Capabilities capabilities(JsonObject o) {
        return new Capabilities(
                o.strings("bounding"), o.strings("effective"), o.strings("inheritable"),
                o.strings("permitted"), o.strings("ambient"));
    }

    private static Mount mount(JsonObject o) {
        return new Mount(
                text(o, "destination"),
                text(o, "type"),
                text(o, "source"),
                o.strings("options"),
                idMappings(o, "uidMappings"),
                idMappings(o, "gidMappings"));
    }

    private static Hooks hooks(JsonObject o) {
        return new Hooks(
                hookList(o, "prestart"),
                hookList(o, "createRuntime"),
                hookList(o, "createContainer"),
                hookList(o, "startContainer"),
                hookList(o, "poststart"),
                hookList(o, "poststop"));
    }

    private static List<Hook> hookList(JsonObject o, String key) {
        List<Hook> out = new ArrayList<>();
        for (JsonObject h : o.objectList(key)) {
            out.add(new Hook(text(h, "path"), h.strings("args"), h.strings("env"), int32(h, "timeout")));
        }
        return out;
    }
}
