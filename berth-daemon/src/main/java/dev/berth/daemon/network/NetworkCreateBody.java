package dev.berth.daemon.network;

import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of POST /networks/create (docker's NetworkCreateRequest) as the engine's
 * {@link NetworkCreateRequest}. What only swarm or other drivers have is refused here in
 * dockerd's words; the checks that need the other networks (name in use, overlapping pools,
 * a gateway outside its subnet) are the engine's. CheckDuplicate is read but not needed:
 * names are always unique, as in dockerd since API 1.44.
 */
final class NetworkCreateBody {
    /** The predefined networks; a user network cannot take their names. */
    static final Set<String> PREDEFINED = Set.of("bridge", "host", "none");

    private NetworkCreateBody() {}

    static NetworkCreateRequest read(JsonObject o) {
        String name = o.string("Name").orElse("").trim();
        if (name.isEmpty()) {
            throw BerthException.invalid("invalid name: "); // dockerd's words, name and all
        }
        if (PREDEFINED.contains(name)) {
            throw BerthException.forbidden("operation is not permitted on predefined " + name + " network ");
        }
        String driver = o.string("Driver").orElse("");
        driver = driver.isEmpty() ? "bridge" : driver;
        switch (driver) {
            case "bridge" -> { }
            case "host", "null" -> throw BerthException.forbidden("only one instance of \"" + driver + "\" network is allowed");
            case "overlay" -> throw BerthException.unsupported("This node is not a swarm manager. Use \"docker swarm init\" or"
                    + " \"docker swarm join\" to connect this node to swarm and try again.");
            case "macvlan", "ipvlan" -> throw BerthException.unsupported("the " + driver + " driver is not supported by berthd:"
                    + " only bridge networks");
            default -> throw BerthException.notFound("plugin \"" + driver + "\" not found");
        }
        String scope = o.string("Scope").orElse("");
        if (!scope.isEmpty() && !scope.equals("local")) {
            throw BerthException.forbidden("cannot create a swarm scoped network when swarm is not active");
        }
        if (o.bool("Ingress").orElse(false)) {
            throw BerthException.unsupported("ingress networks need swarm");
        }
        if (o.bool("ConfigOnly").orElse(false) || o.object("ConfigFrom").flatMap(c -> c.string("Network")).filter(s -> !s.isEmpty()).isPresent()) {
            throw BerthException.unsupported("config-only networks are not supported by berthd");
        }
        if (!o.bool("EnableIPv4").orElse(true)) {
            throw BerthException.unsupported("IPv4 cannot be disabled on a bridge network in berthd");
        }
        List<Network.IpamPool> pools = new ArrayList<>();
        var ipam = o.object("IPAM");
        if (ipam.isPresent()) {
            String ipamDriver = ipam.get().string("Driver").orElse("");
            if (!ipamDriver.isEmpty() && !ipamDriver.equals("default")) {
                throw BerthException.notFound("plugin \"" + ipamDriver + "\" not found");
            }
            for (JsonObject c : ipam.get().objectList("Config")) {
                pools.add(pool(c));
            }
            if (!ipam.get().stringMap("Options").isEmpty()) {
                throw BerthException.unsupported("IPAM options are not supported by berthd's default IPAM");
            }
        }
        return new NetworkCreateRequest(name, driver, o.bool("Internal").orElse(false), o.bool("Attachable").orElse(false),
                o.bool("EnableIPv6").orElse(false), pools, o.stringMap("Options"), o.stringMap("Labels"));
    }

    /** One IPAM.Config entry; the CIDRs and addresses are checked for form here, for sense by the engine. */
    private static Network.IpamPool pool(JsonObject c) {
        String subnet = c.string("Subnet").orElse("").trim();
        String range = c.string("IPRange").orElse("").trim();
        String gateway = c.string("Gateway").orElse("").trim();
        if (!subnet.isEmpty() || !range.isEmpty() || !gateway.isEmpty()) {
            Cidr.check("subnet", subnet); // a range or gateway without a subnet is dockerd's "Invalid subnet  : ..."
        }
        if (!range.isEmpty()) {
            Cidr.check("ip-range", range);
        }
        if (!gateway.isEmpty()) {
            Cidr.checkAddress(gateway);
        }
        if (!c.stringMap("AuxiliaryAddresses").isEmpty()) {
            throw BerthException.unsupported("auxiliary addresses are not supported by berthd");
        }
        return new Network.IpamPool(subnet, range, gateway);
    }
}
