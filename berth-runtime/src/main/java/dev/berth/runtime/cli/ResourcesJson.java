package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OCI linux.resources object (config-linux.md "Control groups"), the document given to
 * {@code update --resources}. Interim: the shared {@code SpecJson} codec will own this mapping.
 */
final class ResourcesJson {
    private ResourcesJson() {}

    static Resources parse(String text, String source) {
        JsonFields r = JsonFields.root(CliJson.parse(text, source), source);
        return new Resources(
                devices(r.objects("devices")),
                memory(r.object("memory")),
                cpu(r.object("cpu")),
                pids(r.object("pids")),
                blockIO(r.object("blockIO")),
                hugepages(r.objects("hugepageLimits")),
                network(r.object("network")),
                r.stringMap("unified"));
    }

    private static List<Resources.DeviceRule> devices(List<JsonFields> items) {
        List<Resources.DeviceRule> out = new ArrayList<>(items.size());
        for (JsonFields d : items) {
            out.add(new Resources.DeviceRule(d.bool("allow", false), d.string("type"), d.number("major"),
                    d.number("minor"), d.string("access")));
        }
        return out;
    }

    private static Resources.Memory memory(JsonFields m) {
        if (m == null) {
            return null;
        }
        return new Resources.Memory(m.number("limit"), m.number("reservation"), m.number("swap"), m.number("kernel"),
                m.number("kernelTCP"), m.number("swappiness"), m.bool("disableOOMKiller"), m.bool("useHierarchy"),
                m.bool("checkBeforeUpdate"));
    }

    private static Resources.Cpu cpu(JsonFields c) {
        if (c == null) {
            return null;
        }
        return new Resources.Cpu(c.number("shares"), c.number("quota"), c.number("burst"), c.number("period"),
                c.number("realtimeRuntime"), c.number("realtimePeriod"), c.string("cpus"), c.string("mems"),
                c.number("idle"));
    }

    private static Resources.Pids pids(JsonFields p) {
        return p == null ? null : new Resources.Pids(p.number("limit", 0));
    }

    private static Resources.BlockIO blockIO(JsonFields b) {
        if (b == null) {
            return null;
        }
        List<Resources.WeightDevice> weights = new ArrayList<>();
        for (JsonFields w : b.objects("weightDevice")) {
            weights.add(new Resources.WeightDevice(w.number("major", 0), w.number("minor", 0), w.integer("weight"),
                    w.integer("leafWeight")));
        }
        return new Resources.BlockIO(b.integer("weight"), b.integer("leafWeight"), weights,
                throttles(b.objects("throttleReadBpsDevice")), throttles(b.objects("throttleWriteBpsDevice")),
                throttles(b.objects("throttleReadIOPSDevice")), throttles(b.objects("throttleWriteIOPSDevice")));
    }

    private static List<Resources.ThrottleDevice> throttles(List<JsonFields> items) {
        List<Resources.ThrottleDevice> out = new ArrayList<>(items.size());
        for (JsonFields t : items) {
            out.add(new Resources.ThrottleDevice(t.number("major", 0), t.number("minor", 0), t.number("rate", 0)));
        }
        return out;
    }

    private static List<Resources.HugepageLimit> hugepages(List<JsonFields> items) {
        List<Resources.HugepageLimit> out = new ArrayList<>(items.size());
        for (JsonFields h : items) {
            out.add(new Resources.HugepageLimit(h.string("pageSize"), h.number("limit", 0)));
        }
        return out;
    }

    private static Resources.Network network(JsonFields n) {
        if (n == null) {
            return null;
        }
        List<Resources.InterfacePriority> priorities = new ArrayList<>();
        for (JsonFields p : n.objects("priorities")) {
            priorities.add(new Resources.InterfacePriority(p.string("name"), p.number("priority", 0)));
        }
        return new Resources.Network(n.number("classID"), priorities);
    }
}
