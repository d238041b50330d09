package dev.berth.oci.runtime.json;

import static dev.berth.oci.runtime.json.SpecDecoder.flag;
import static dev.berth.oci.runtime.json.SpecDecoder.idMappings;
import static dev.berth.oci.runtime.json.SpecDecoder.text;
import static dev.berth.oci.runtime.json.SpecDecoder.uint32Bits;

import dev.berth.oci.json.JsonObject;
import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Personality;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Seccomp;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json linux tree → {@link Linux} (config-linux.md), with the rules of {@link SpecDecoder}
 * (and, like it, without lambdas: it runs at every {@code create}).
 */
final class LinuxDecoder {
    private LinuxDecoder() {}

    static Linux linux(JsonObject o) {
        List<Namespace> namespaces = new ArrayList<>();
        for (JsonObject n : o.objectList("namespaces")) {
            namespaces.add(new Namespace(text(n, "type"), text(n, "path")));
        }
        List<Device> devices = new ArrayList<>();
        for (JsonObject d : o.objectList("devices")) {
            devices.add(new Device(text(d, "type"), text(d, "path"), d.int64("major").orElse(0L), d.int64("minor").orElse(0L),
                    uint32Bits(d, "fileMode"), d.uint32("uid").orElse(null), d.uint32("gid").orElse(null)));
        }
        JsonObject resources = o.object("resources").orElse(null);
        JsonObject seccomp = o.object("seccomp").orElse(null);
        JsonObject personality = o.object("personality").orElse(null);
        return new Linux(
                namespaces,
                idMappings(o, "uidMappings"),
                idMappings(o, "gidMappings"),
                devices,
                text(o, "cgroupsPath"),
                resources == null ? null : resources(resources),
                text(o, "rootfsPropagation"),
                seccomp == null ? null : seccomp(seccomp),
                o.stringMap("sysctl"),
                o.strings("maskedPaths"),
                o.strings("readonlyPaths"),
                text(o, "mountLabel"),
                personality == null ? null : new Personality(text(personality, "domain"), personality.strings("flags")));
    }

    private static Resources resources(JsonObject o) {
        List<Resources.DeviceRule> devices = new ArrayList<>();
        for (JsonObject d : o.objectList("devices")) {
            devices.add(new Resources.DeviceRule(flag(d, "allow"), text(d, "type"),
                    d.int64("major").orElse(null), d.int64("minor").orElse(null), text(d, "access")));
        }
        List<Resources.HugepageLimit> hugepageLimits = new ArrayList<>();
        for (JsonObject h : o.objectList("hugepageLimits")) {
            hugepageLimits.add(new Resources.HugepageLimit(text(h, "pageSize"), h.uint64("limit").orElse(0L)));
        }
        JsonObject memory = o.object("memory").orElse(null);
        JsonObject cpu = o.object("cpu").orElse(null);
        JsonObject pids = o.object("pids").orElse(null);
        JsonObject blockIO = o.object("blockIO").orElse(null);
        JsonObject network = o.object("network").orElse(null);
        return new Resources(
                devices,
                memory == null ? null : memory(memory),
                cpu == null ? null : cpu(cpu),
                pids == null ? null : new Resources.Pids(pids.int64("limit").orElse(0L)),
                blockIO == null ? null : blockIO(blockIO),
                hugepageLimits,
                network == null ? null : network(network),
                o.stringMap("unified"));
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
        List<Resources.WeightDevice> weightDevices = new ArrayList<>();
        for (JsonObject w : o.objectList("weightDevice")) {
            weightDevices.add(new Resources.WeightDevice(w.int64("major").orElse(0L), w.int64("minor").orElse(0L),
                    uint16(w, "weight"), uint16(w, "leafWeight")));
        }
        return new Resources.BlockIO(
                uint16(o, "weight"),
                uint16(o, "leafWeight"),
                weightDevices,
                throttles(o, "throttleReadBpsDevice"),
                throttles(o, "throttleWriteBpsDevice"),
                throttles(o, "throttleReadIOPSDevice"),
                throttles(o, "throttleWriteIOPSDevice"));
    }

    private static Integer uint16(JsonObject o, String key) {
        Long value = o.uint16(key).orElse(null);
        return value == null ? null : value.intValue();
    }

    private static List<Resources.ThrottleDevice> throttles(JsonObject o, String key) {
        List<Resources.ThrottleDevice> out = new ArrayList<>();
        for (JsonObject t : o.objectList(key)) {
            out.add(new Resources.ThrottleDevice(t.int64("major").orElse(0L), t.int64("minor").orElse(0L), t.uint64("rate").orElse(0L)));
        }
        return out;
    }

    private static Resources.Network network(JsonObject o) {
        List<Resources.InterfacePriority> priorities = new ArrayList<>();
        for (JsonObject p : o.objectList("priorities")) {
            priorities.add(new Resources.InterfacePriority(text(p, "name"), p.uint32("priority").orElse(0L)));
        }
        return new Resources.Network(o.uint32("classID").orElse(null), priorities);
    }

    private static Seccomp seccomp(JsonObject o) {
        List<Seccomp.Syscall> syscalls = new ArrayList<>();
        for (JsonObject s : o.objectList("syscalls")) {
            List<Seccomp.Arg> args = new ArrayList<>();
            for (JsonObject a : s.objectList("args")) {
                args.add(new Seccomp.Arg(a.uint32("index").orElse(0L).intValue(), a.uint64("value").orElse(0L),
                        a.uint64("valueTwo").orElse(0L), text(a, "op")));
            }
            syscalls.add(new Seccomp.Syscall(s.strings("names"), text(s, "action"), uint32Bits(s, "errnoRet"), args));
        }
        return new Seccomp(
                text(o, "defaultAction"),
                uint32Bits(o, "defaultErrnoRet"),
                o.strings("architectures"),
                o.strings("flags"),
                text(o, "listenerPath"),
                text(o, "listenerMetadata"),
                syscalls);
    }
}
