package dev.berth.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Resources.DeviceRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device cgroup rules, as runc makes them (its dev.bats "device cgroup deny"). */
class DeviceRulesTest {
    private static Resources denyAll() {
        return new Resources(List.of(new DeviceRule(false, null, null, null, "rwm")), null, null, null, null,
                null, null, null);
    }

    @Test
    void aLinuxDeviceGetsNoAllowRuleOfItsOwn() {
        Device kmsg = new Device("c", "/dev/kmsg", 1, 11, 0666, 0L, 0L);
        List<DeviceRule> rules = DeviceRules.complete(denyAll(), List.of(kmsg)).devices();
        assertThat(rules.getFirst().allow()).isFalse();
        assertThat(rules).noneMatch(r -> r.allow() && Long.valueOf(1).equals(r.major()) && Long.valueOf(11).equals(r.minor()));
    }

    @Test
    void theDefaultAllowListFollowsTheConfigRules() {
        List<DeviceRule> rules = DeviceRules.complete(denyAll(), List.of()).devices();
        assertThat(rules).anyMatch(r -> r.allow() && Long.valueOf(1).equals(r.major()) && Long.valueOf(3).equals(r.minor()));
        assertThat(rules).anyMatch(r -> r.allow() && Long.valueOf(10).equals(r.major()) && Long.valueOf(200).equals(r.minor()));
    }

    @Test
    void noRulesStayNoRules() {
        Resources none = new Resources(List.of(), null, null, null, null, null, null, null);
        assertThat(DeviceRules.complete(none, List.of()).devices()).isEmpty();
    }
}
