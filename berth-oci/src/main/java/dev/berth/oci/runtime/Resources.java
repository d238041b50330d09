package dev.berth.oci.runtime;

import java.util.List;
import java.util.Map;

/** linux.resources: cgroup settings (config-linux.md "Control groups"). Absent parts are null. */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIO blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, String> unified) {
    public static final Resources NONE = new Resources(null, null, null, null, null, null, null, null);

    public Resources {
        devices = List.copyOf(devices == null ? List.of() : devices);
        hugepageLimits = List.copyOf(hugepageLimits == null ? List.of() : hugepageLimits);
        unified = unified == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unified));
    }

    /** A device cgroup rule. type is a, c or b (null means a); major/minor null mean any (*); access is some of rwm. */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

    /** Memory limits in bytes; -1 means unlimited. */
    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP,
                         Long swappiness, Boolean disableOOMKiller, Boolean useHierarchy,
                         Boolean checkBeforeUpdate) {}

    /** CPU: shares (v1) / weight, CFS quota and period in microseconds, cpuset cpus and mems. */
    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime,
                      Long realtimePeriod, String cpus, String mems, Long idle) {}

    /** pids.max; 0 or negative means unlimited. */
    public record Pids(long limit) {}

    /** blkio (v1) / io (v2) weights and throttles. */
    public record BlockIO(Integer weight, Integer leafWeight, List<WeightDevice> weightDevice,
                          List<ThrottleDevice> throttleReadBpsDevice,
                          List<ThrottleDevice> throttleWriteBpsDevice,
                          List<ThrottleDevice> throttleReadIOPSDevice,
                          List<ThrottleDevice> throttleWriteIOPSDevice) {
        public BlockIO {
            weightDevice = List.copyOf(weightDevice == null ? List.of() : weightDevice);
            throttleReadBpsDevice = List.copyOf(throttleReadBpsDevice == null ? List.of() : throttleReadBpsDevice);
            throttleWriteBpsDevice = List.copyOf(throttleWriteBpsDevice == null ? List.of() : throttleWriteBpsDevice);
            throttleReadIOPSDevice = List.copyOf(throttleReadIOPSDevice == null ? List.of() : throttleReadIOPSDevice);
            throttleWriteIOPSDevice = List.copyOf(throttleWriteIOPSDevice == null ? List.of() : throttleWriteIOPSDevice);
        }
    }

    public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {}

    public record ThrottleDevice(long major, long minor, long rate) {}

    /** hugetlb limit for one page size such as 2MB. */
    public record HugepageLimit(String pageSize, long limit) {}

    /** net_cls / net_prio. */
    public record Network(Long classID, List<InterfacePriority> priorities) {
        public Network {
            priorities = List.copyOf(priorities == null ? List.of() : priorities);
        }
    }

    public record InterfacePriority(String name, long priority) {}
}
