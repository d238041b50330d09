package dev.berth.engine.network.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void parsesAndContains() {
        Cidr net = Cidr.parse("172.18.0.0/16");
        assertThat(net.ipv4()).isTrue();
        assertThat(net.contains(Cidr.parse("172.18.255.3").address())).isTrue();
        assertThat(net.contains(Cidr.parse("172.19.0.1").address())).isFalse();
        assertThat(net.contains(Cidr.parse("fd00::1").address())).isFalse();
        assertThat(Cidr.parse("10.200.3.7/24").network()).hasToString("10.200.3.0/24");
        assertThat(Cidr.parse("10.200.3.7").prefix()).isEqualTo(32);
    }

    @Test
    void ipv6IsPrintedAsIpAndIptablesPrintIt() {
        assertThat(Cidr.parse("fd00:0:0:1::5/64").network()).hasToString("fd00:0:0:1::/64");
        assertThat(Cidr.parse("fd00::1/64").contains(Cidr.parse("fd00::ffff").address())).isTrue();
        assertThat(Cidr.compress("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Cidr.compress("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Cidr.compress("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:3:4:5:6");
    }

    @Test
    void refusesWhatIsNoAddressWithoutLookingItUp() {
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).isInstanceOf(BerthException.class)
                .hasMessage("invalid IP address: example.com/24");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/33")).hasMessage("invalid CIDR address: 10.0.0.1/33");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/x")).hasMessage("invalid CIDR address: 10.0.0.1/x");
        assertThatThrownBy(() -> Cidr.parse("300.1.1.1")).isInstanceOf(BerthException.class);
    }
}
