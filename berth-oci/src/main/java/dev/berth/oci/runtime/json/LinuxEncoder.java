package dev.berth.oci.runtime.json;

import static dev.berth.oci.json.Json.sortedByKey;
import static dev.berth.oci.json.Json.unsigned;
import static dev.berth.oci.runtime.json.SpecEncoder.each;
import static dev.berth.oci.runtime.json.SpecEncoder.nullable;
import static dev.berth.oci.runtime.json.SpecEncoder.orEmpty;
import static dev.berth.oci.runtime.json.SpecEncoder.uint32;

import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Personality;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Seccomp;

/** {@link Linux} → config.json linux tree, in specs-go order with its omissions (see {@link SpecEncoder}). */
final class LinuxEncoder {
    private LinuxEncoder() {}

    static Object linux(Linux l) {
        return JsonObjectBuilder.create()
                .omitEmpty("uidMappings", each(l.uidMappings(), SpecEncoder::idMapping))
                .omitEmpty("gidMappings", each(l.gidMappings(), SpecEncoder::idMapping))
                .omitEmpty("sysctl", sortedByKey(l.sysctl()))
                .omitNull("resources", nullable(l.resources(), LinuxEncoder::resources))
                .omitEmpty("cgroupsPath", l.cgroupsPath())
                .omitEmpty("namespaces", each(l.namespaces(), LinuxEncoder::namespace))
                .omitEmpty("devices", each(l.devices(), LinuxEncoder::device))
                .omitNull("seccomp", nullable(l.seccomp(), LinuxEncoder::seccomp))
                .omitEmpty("rootfsPropagation", l.rootfsPropagation())
                .omitEmpty("maskedPaths", l.maskedPaths())
                .omitEmpty("readonlyPaths", l.readonlyPaths())
                .omitEmpty("mountLabel", l.mountLabel())
                .omitNull("personality", nullable(l.personality(), LinuxEncoder::personality))
                .build();
    }

    private static Object namespace(Namespace n) {
        return JsonObjectBuilder.create()
                .put("type", orEmpty(n.type()))
                .omitEmpty("path", n.path())
                .build();
    }

    private static Object device(Device d) {
        return JsonObjectBuilder.create()
                .put("path", orEmpty(d.path()))
                .put("type", orEmpty(d.type()))
                .put("major", d.major())
                .put("minor", d.minor())
                .omitNull("fileMode", uint32(d.fileMode()))
                .omitNull("uid", d.uid())
                .omitNull("gid", d.gid())
                .build();
    }

    private static Object personality(Personality p) {
        return JsonObjectBuilder.create()
                .put("domain", orEmpty(p.domain()))
                .omitEmpty("flags", p.flags())
                .build();
    }

    private static Object resources(Resources r) {
        return JsonObjectBuilder.create()
                .omitEmpty("devices", each(r.devices(), LinuxEncoder::deviceRule))
                .omitNull("memory", nullable(r.memory(), LinuxEncoder::memory))
                .omitNull("cpu", nullable(r.cpu(), LinuxEncoder::cpu))
                .omitNull("pids", nullable(r.pids(), p -> JsonObjectBuilder.create().put("limit", p.limit()).build()))
                .omitNull("blockIO", nullable(r.blockIO(), LinuxEncoder::blockIO))
                .omitEmpty("hugepageLimits", each(r.hugepageLimits(), h -> JsonObjectBuilder.create()
                        .put("pageSize", orEmpty(h.pageSize()))
                        .put("limit", unsigned(h.limit()))
                        .build()))
                .omitNull("network", nullable(r.network(), LinuxEncoder::network))
                .omitEmpty("unified", sortedByKey(r.unified()))
                .build();
    }

    private static Object deviceRule(Resources.DeviceRule d) {
        return JsonObjectBuilder.create()
                .put("allow", d.allow())
                .omitEmpty("type", d.type())
                .omitNull("major", d.major())
                .omitNull("minor", d.minor())
                .omitEmpty("access", d.access())
                .build();
    }

    private static Object memory(Resources.Memory m) {
        return JsonObjectBuilder.create()
                .omitNull("limit", m.limit())
                .omitNull("reservation", m.reservation())
                .omitNull("swap", m.swap())
                .omitNull("kernel", m.kernel())
                .omitNull("kernelTCP", m.kernelTCP())
                .omitNull("swappiness", nullable(m.swappiness(), s -> unsigned(s)))
                .omitNull("disableOOMKiller", m.disableOOMKiller())
                .omitNull("useHierarchy", m.useHierarchy())
                .omitNull("checkBeforeUpdate", m.checkBeforeUpdate())
                .build();
    }

    private static Object cpu(Resources.Cpu c) {
        return JsonObjectBuilder.create()
                .omitNull("shares", nullable(c.shares(), s -> unsigned(s)))
                .omitNull("quota", c.quota())
                .omitNull("burst", nullable(c.burst(), s -> unsigned(s)))
                .omitNull("period", nullable(c.period(), s -> unsigned(s)))
                .omitNull("realtimeRuntime", c.realtimeRuntime())
                .omitNull("realtimePeriod", nullable(c.realtimePeriod(), s -> unsigned(s)))
                .omitEmpty("cpus", c.cpus())
                .omitEmpty("mems", c.mems())
                .omitNull("idle", c.idle())
                .build();
    }

    private static Object blockIO(Resources.BlockIO b) {
        return JsonObjectBuilder.create()
                .omitNull("weight", b.weight())
                .omitNull("leafWeight", b.leafWeight())
                .omitEmpty("weightDevice", each(b.weightDevice(), w -> JsonObjectBuilder.create()
                        .put("major", w.major())
                        .put("minor", w.minor())
                        .omitNull("weight", w.weight())
                        .omitNull("leafWeight", w.leafWeight())
                        .build()))
                .omitEmpty("throttleReadBpsDevice", each(b.throttleReadBpsDevice(), LinuxEncoder::throttle))
                .omitEmpty("throttleWriteBpsDevice", each(b.throttleWriteBpsDevice(), LinuxEncoder::throttle))
                .omitEmpty("throttleReadIOPSDevice", each(b.throttleReadIOPSDevice(), LinuxEncoder::throttle))
                .omitEmpty("throttleWriteIOPSDevice", each(b.throttleWriteIOPSDevice(), LinuxEncoder::throttle))
                .build();
    }

    private static Object throttle(Resources.ThrottleDevice t) {
        return JsonObjectBuilder.create()
                .put("major", t.major())
                .put("minor", t.minor())
                .put("rate", unsigned(t.rate()))
                .build();
    }

    private static Object network(Resources.Network n) {
        return JsonObjectBuilder.create()
                .omitNull("classID", n.classID())
                .omitEmpty("priorities", each(n.priorities(), p -> JsonObjectBuilder.create()
                        .put("name", orEmpty(p.name()))
                        .put("priority", p.priority())
                        .build()))
                .build();
    }

    private static Object seccomp(Seccomp s) {
        return JsonObjectBuilder.create()
                .put("defaultAction", orEmpty(s.defaultAction()))
                .omitNull("defaultErrnoRet", uint32(s.defaultErrnoRet()))
                .omitEmpty("architectures", s.architectures())
                .omitEmpty("flags", s.flags())
                .omitEmpty("listenerPath", s.listenerPath())
                .omitEmpty("listenerMetadata", s.listenerMetadata())
                .omitEmpty("syscalls", each(s.syscalls(), LinuxEncoder::syscall))
                .build();
    }

    private static Object syscall(Seccomp.Syscall s) {
        return JsonObjectBuilder.create()
                .put("names", s.names())
                .put("action", orEmpty(s.action()))
                .omitNull("errnoRet", uint32(s.errnoRet()))
                .omitEmpty("args", each(s.args(), a -> JsonObjectBuilder.create()
                        .put("index", Integer.toUnsignedLong(a.index()))
                        .put("value", unsigned(a.value()))
                        .omitNull("valueTwo", a.valueTwo() == 0 ? null : unsigned(a.valueTwo()))
                        .put("op", orEmpty(a.op()))
                        .build()))
                .build();
    }
}
