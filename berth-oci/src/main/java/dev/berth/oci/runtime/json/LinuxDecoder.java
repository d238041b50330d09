package dev.berth.oci.runtime.json;

import static dev.berth.oci.runtime.json.SpecDecoder.flag;
import static dev.berth.oci.runtime.json.SpecDecoder.int32;
import static dev.berth.oci.runtime.json.SpecDecoder.text;
import static dev.berth.oci.runtime.json.SpecDecoder.uint32Bits;

import dev.berth.oci.json.JsonObject;
import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Personality;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Seccomp;

/** config.json linux tree → {@link Linux} (config-linux.md), with the rules of {@link SpecDecoder}. */
final class LinuxDecoder {
    private LinuxDecoder() {}

    static Linux linux(JsonObject o) {
        return new Linux(
                o.objects("namespaces", n -> new Namespace(text(n, "type"), text(n, "path"))),
                o.objects("uidMappings", SpecDecoder::idMapping),
                o.objects("gidMappings", SpecDecoder::idMapping),
                o.objects("devices", LinuxDecoder::device),
                text(o, "cgroupsPath"),
                o.object("resources").map(LinuxDecoder::resources).orElse(null),
                text(o, "rootfsPropagation"),
                o.object("seccomp").map(LinuxDecoder::seccomp).orElse(null),
                o.stringMap("sysctl"),
                o.strings("maskedPaths"),
                o.strings("readonlyPaths"),
                text(o, "mountLabel"),
                o.object("personality").map(p -> new Personality(text(p, "domain"), p.strings("flags"))).orElse(null));
    }

    private static Device device(JsonObject o) {
        return new Device(
                text(o, "type"),
                text(o, "path"),
                o.int64("major").orElse(0L),
                o.int64("minor").orElse(0L),
                uint32Bits(o, "fileMode"),
                o.uint32("uid").orElse(null),
                o.uint32("gid").orElse(null));
    }

    private static Resources resources(JsonObject o) {
        return new Resources(
                o.objects("devices", LinuxDecoder::deviceRule),
                o.object("memory").map(LinuxDecoder::memory).orElse(null),
                o.object("cpu").map(LinuxDecoder::cpu).orElse(null),
                o.object("pids").map(p -> new Resources.Pids(p.int64("limit").orElse(0L))).orElse(null),
                o.object("blockIO").map(LinuxDecoder::blockIO).orElse(null),
                o.objects("hugepageLimits", h -> new Resources.HugepageLimit(text(h, "pageSize"), h.uint64("limit").orElse(0L))),
                o.object("network").map(LinuxDecoder::network).orElse(null),
                o.stringMap("unified"));
    }

    private static Resources.DeviceRule deviceRule(JsonObject o) {
        return new Resources.DeviceRule(
                flag(o, "allow"), text(o, "type"), o.int64("major").orElse(null), o.int64("minor").orElse(null), text(o, "access"));
    }

    private static Resources.Memory memory(JsonObject o) {
        return new Resources.Memory(
                o.int64("limit").orElse(null),
                o.int64("reservation").orElse(null),
                o.int64("swap").orElse(null),
                o.int64("kernel").orElse(null),
                o.int64("kernelTCP").orElse(null),
                o.uint64("swappiness").orElse(null),
                o.bool("disableOOMKiller").orElse(null),
                o.bool("useHierarchy").orElse(null),
                o.bool("checkBeforeUpdate").orElse(null));
    }

    private static Resources.Cpu cpu(JsonObject o) {
        return new Resources.Cpu(
                o.uint64("shares").orElse(null),
                o.int64("quota").orElse(null),
                o.uint64("burst").orElse(null),
                o.uint64("period").orElse(null),
                o.int64("realtimeRuntime").orElse(null),
                o.uint64("realtimePeriod").orElse(null),
                text(o, "cpus"),
                text(o, "mems"),
                o.int64("idle").orElse(null));
    }

    private static Resources.BlockIO blockIO(JsonObject o) {
        return new Resources.BlockIO(
                o.uint16("weight").map(Long::intValue).orElse(null),
                o.uint16("leafWeight").map(Long::intValue).orElse(null),
                o.objects("weightDevice", w -> new Resources.WeightDevice(
                        w.int64("major").orElse(0L), w.int64("minor").orElse(0L),
                        w.uint16("weight").map(Long::intValue).orElse(null),
                        w.uint16("leafWeight").map(Long::intValue).orElse(null))),
                o.objects("throttleReadBpsDevice", LinuxDecoder::throttle),
                o.objects("throttleWriteBpsDevice", LinuxDecoder::throttle),
                o.objects("throttleReadIOPSDevice", LinuxDecoder::throttle),
                o.objects("throttleWriteIOPSDevice", LinuxDecoder::throttle));
    }

    private static Resources.ThrottleDevice throttle(JsonObject o) {
        return new Resources.ThrottleDevice(o.int64("major").orElse(0L), o.int64("minor").orElse(0L), o.uint64("rate").orElse(0L));
    }

    private static Resources.Network network(JsonObject o) {
        return new Resources.Network(
                o.uint32("classID").orElse(null),
                o.objects("priorities", p -> new Resources.InterfacePriority(text(p, "name"), p.uint32("priority").orElse(0L))));
    }

    private static Seccomp seccomp(JsonObject o) {
        return new Seccomp(
                text(o, "defaultAction"),
                uint32Bits(o, "defaultErrnoRet"),
                o.strings("architectures"),
                o.strings("flags"),
                text(o, "listenerPath"),
                text(o, "listenerMetadata"),
                o.objects("syscalls", LinuxDecoder::syscall));
    }

    private static Seccomp.Syscall syscall(JsonObject o) {
        return new Seccomp.Syscall(
                o.strings("names"),
                text(o, "action"),
                uint32Bits(o, "errnoRet"),
                o.objects("args", a -> new Seccomp.Arg(
                        a.uint32("index").map(Long::intValue).orElse(0),
                        a.uint64("value").orElse(0L),
                        a.uint64("valueTwo").orElse(0L),
                        text(a, "op"))));
    }
}
