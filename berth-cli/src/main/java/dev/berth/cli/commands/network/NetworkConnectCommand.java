package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.PathSegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth network connect}: POST /networks/{id}/connect with the endpoint docker's CLI sends. */
@Command(name = "connect", description = "Connect a container to a network")
public final class NetworkConnectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = "--alias", split = ",", description = "Add network-scoped alias for the container")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--driver-opt", split = ",", description = "driver options for the network")
    List<String> driverOpts = new ArrayList<>();

    @Option(names = "--gw-priority", defaultValue = "0",
            description = "Highest gw-priority provides the default gateway. Accepts positive and negative values.")
    int gwPriority;

    @Option(names = "--ip", description = "IPv4 address (e.g., \"172.30.100.104\")")
    String ip;

    @Option(names = "--ip6", description = "IPv6 address (e.g., \"2001:db8::33\")")
    String ip6;

    @Option(names = "--link-local-ip", split = ",", description = "Add a link-local address for the container")
    List<String> linkLocalIps = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "NETWORK")
    String network;

    @Parameters(index = "1", paramLabel = "CONTAINER")
    String container;

    public NetworkConnectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Map<String, Object> opts = new LinkedHashMap<>();
        for (String o : driverOpts) {
            int eq = o.indexOf('=');
            if (eq < 0 || o.substring(0, eq).strip().isEmpty()) {
                throw new CommandFailed("invalid key/value pair format in driver options");
            }
            opts.put(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        if (ip != null && !ip.isEmpty()) {
            ipam.put("IPv4Address", ip);
        }
        if (ip6 != null && !ip6.isEmpty()) {
            ipam.put("IPv6Address", ip6);
        }
        if (!linkLocalIps.isEmpty()) {
            ipam.put("LinkLocalIPs", linkLocalIps);
        }
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("IPAMConfig", ipam);
        endpoint.put("Links", null);
        endpoint.put("Aliases", aliases);
        endpoint.put("MacAddress", "");
        endpoint.put("DriverOpts", opts);
        endpoint.put("GwPriority", gwPriority);
        endpoint.put("NetworkID", "");
        endpoint.put("EndpointID", "");
        endpoint.put("Gateway", "");
        endpoint.put("IPAddress", "");
        endpoint.put("IPPrefixLen", 0);
        endpoint.put("IPv6Gateway", "");
        endpoint.put("GlobalIPv6Address", "");
        endpoint.put("GlobalIPv6PrefixLen", 0);
        endpoint.put("DNSNames", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Container", container);
        body.put("EndpointConfig", endpoint);
        cli.client().postJson("/networks/" + PathSegment.escape(network) + "/connect", null, body);
        return 0;
    }
}
