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

/**
 * config.json tree → {@link Spec}, for the platform-neutral part (config.md); linux is read by
 * {@link LinuxDecoder}. Follows Go's encoding/json: absent and null read the same, a missing
 * number reads as 0, and an empty optional string reads as absent (null).
 */
final class SpecDecoder {
    private SpecDecoder() {}

    static Spec spec(JsonObject o) {
        return new Spec(
                text(o, "ociVersion"),
                o.object("process").map(SpecDecoder::process).orElse(null),
                o.object("root").map(SpecDecoder::root).orElse(null),
                text(o, "hostname"),
                text(o, "domainname"),
                o.objects("mounts", SpecDecoder::mount),
                o.object("hooks").map(SpecDecoder::hooks).orElse(null),
                o.stringMap("annotations"),
                o.object("linux").map(LinuxDecoder::linux).orElse(null));
    }

    /** An optional string; "" is treated as absent, as Go's omitempty does on the way out. */
    static String text(JsonObject o, String key) {
        return o.string(key).filter(s -> !s.isEmpty()).orElse(null);
    }

    static boolean flag(JsonObject o, String key) {
        return o.bool(key).orElse(false);
    }

    /** A uint32 kept in the bits of an Integer, for record components typed Integer. */
    static Integer uint32Bits(JsonObject o, String key) {
        return o.uint32(key).map(Long::intValue).orElse(null);
    }

    static Integer int32(JsonObject o, String key) {
        return o.int32(key).map(Long::intValue).orElse(null);
    }

    static IdMapping idMapping(JsonObject o) {
        return new IdMapping(o.uint32("containerID").orElse(0L), o.uint32("hostID").orElse(0L), o.uint32("size").orElse(0L));
    }

    private static Process process(JsonObject o) {
        return new Process(
                flag(o, "terminal"),
                o.object("consoleSize").map(SpecDecoder::consoleSize).orElse(null),
                text(o, "cwd"),
                o.strings("env"),
                o.strings("args"),
                text(o, "commandLine"),
                o.objects("rlimits", SpecDecoder::rlimit),
                text(o, "apparmorProfile"),
                o.object("capabilities").map(SpecDecoder::capabilities).orElse(null),
                flag(o, "noNewPrivileges"),
                int32(o, "oomScoreAdj"),
                text(o, "selinuxLabel"),
                // process.user is a plain struct in Go: absent means uid 0, gid 0
                o.object("user").map(SpecDecoder::user).orElse(new User(0, 0, null, null, null)));
    }

    private static ConsoleSize consoleSize(JsonObject o) {
        return new ConsoleSize(o.uint32("height").orElse(0L).intValue(), o.uint32("width").orElse(0L).intValue());
    }

    private static User user(JsonObject o) {
        return new User(
                o.uint32("uid").orElse(0L),
                o.uint32("gid").orElse(0L),
                uint32Bits(o, "umask"),
                o.uint32s("additionalGids"),
                text(o, "username"));
    }

    private static Rlimit rlimit(JsonObject o) {
        return new Rlimit(text(o, "type"), o.uint64("soft").orElse(0L), o.uint64("hard").orElse(0L));
    }

    private static Capabilities capabilities(JsonObject o) {
        return new Capabilities(
                o.strings("bounding"), o.strings("effective"), o.strings("inheritable"),
                o.strings("permitted"), o.strings("ambient"));
    }

    private static Root root(JsonObject o) {
        return new Root(text(o, "path"), flag(o, "readonly"));
    }

    private static Mount mount(JsonObject o) {
        return new Mount(
                text(o, "destination"),
                text(o, "type"),
                text(o, "source"),
                o.strings("options"),
                o.objects("uidMappings", SpecDecoder::idMapping),
                o.objects("gidMappings", SpecDecoder::idMapping));
    }

    private static Hooks hooks(JsonObject o) {
        return new Hooks(
                o.objects("prestart", SpecDecoder::hook),
                o.objects("createRuntime", SpecDecoder::hook),
                o.objects("createContainer", SpecDecoder::hook),
                o.objects("startContainer", SpecDecoder::hook),
                o.objects("poststart", SpecDecoder::hook),
                o.objects("poststop", SpecDecoder::hook));
    }

    private static Hook hook(JsonObject o) {
        return new Hook(text(o, "path"), o.strings("args"), o.strings("env"), int32(o, "timeout"));
    }
}
