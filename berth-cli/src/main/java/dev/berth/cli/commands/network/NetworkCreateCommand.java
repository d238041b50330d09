package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.FlagValueException;
import dev.berth.cli.output.Fields;
import dev.berth.client.ApiVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth network create}: the IPAM flags paired up as the docker CLI pairs them
 * ({@link IpamConfig}), then POST /networks/create; the new network's id printed.
 */
@Command(name = "create", description = "Create a network")
public final class NetworkCreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = "--attachable", arity = "0..1", fallbackValue = "true", description = "Enable manual container attachment")
    boolean attachable;

    @Option(names = "--aux-address", description = "Auxiliary IPv4 or IPv6 addresses used by Network driver")
    List<String> auxAddresses = new java.util.ArrayList<>();

    @Option(names = "--config-from", description = "The network from which to copy the configuration")
    String configFrom;

    @Option(names = "--config-only", arity = "0..1", fallbackValue = "true", description = "Create a configuration only network")
    boolean configOnly;

    @Option(names = {"-d", "--driver"}, defaultValue = "bridge", description = "Driver to manage the Network")
    String driver;

    @Option(names = "--gateway", split = ",", description = "IPv4 or IPv6 Gateway for the master subnet")
    List<String> gateways = new java.util.ArrayList<>();

    @Option(names = "--ingress", arity = "0..1", fallbackValue = "true", description = "Create swarm routing-mesh network")
    boolean ingress;

    @Option(names = "--internal", arity = "0..1", fallbackValue = "true", description = "Restrict external access to the network")
    boolean internal;

    @Option(names = "--ip-range", split = ",", description = "Allocate container ip from a sub-range")
    List<String> ipRanges = new java.util.ArrayList<>();

    @Option(names = "--ipam-driver", defaultValue = "default", description = "IP Address Management Driver")
    String ipamDriver;

    @Option(names = "--ipam-opt", description = "Set IPAM driver specific options")
    List<String> ipamOpts = new java.util.ArrayList<>();

    @Option(names = "--ipv4", arity = "0..1", fallbackValue = "true", description = "Enable or disable IPv4 address assignment")
    Boolean ipv4;

    @Option(names = "--ipv6", arity = "0..1", fallbackValue = "true", description = "Enable or disable IPv6 address assignment")
    Boolean ipv6;

    @Option(names = "--label", description = "Set metadata on a network")
    List<String> labels = new java.util.ArrayList<>();

    @Option(names = {"-o", "--opt"}, description = "Set driver specific options")
    List<String> options = new java.util.ArrayList<>();

    @Option(names = "--scope", description = "Control the network's scope")
    String scope;

    @Option(names = "--subnet", split = ",", description = "Subnet in CIDR format that represents a network segment")
    List<String> subnets = new java.util.ArrayList<>();

    @Parameters(arity = "1", paramLabel = "NETWORK")
    String name;

    public NetworkCreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        for (String label : labels) {
            // the docker CLI's ValidateLabel, a flag-value error
            String key = label.split("=", 2)[0].replaceFirst("^[ \t]+", "");
            if (key.isEmpty()) {
                throw new FlagValueException("--label", label, "invalid label '" + label + "': empty name");
            }
            if (key.indexOf(' ') >= 0 || key.indexOf('\t') >= 0) {
                throw new FlagValueException("--label", label, "label '" + key + "' contains whitespaces");
            }
        }
        List<Map<String, Object>> ipamConfig = IpamConfig.pair(subnets, ipRanges, gateways, auxAddresses);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", ipamDriver);
        ipam.put("Options", pairs(ipamOpts));
        ipam.put("Config", ipamConfig);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Driver", driver);
        body.put("Scope", scope == null ? "" : scope);
        if (ipv4 != null) {
            body.put("EnableIPv4", ipv4);
        }
        if (ipv6 != null) {
            body.put("EnableIPv6", ipv6);
        }
        body.put("IPAM", ipam);
        body.put("Internal", internal);
        body.put("Attachable", attachable);
        body.put("Ingress", ingress);
        body.put("ConfigOnly", configOnly);
        body.put("ConfigFrom", configFrom == null || configFrom.isEmpty() ? null : Map.of("Network", configFrom));
        body.put("Options", pairs(options));
        body.put("Labels", pairs(labels));
        body.put("Name", name);
        if (ApiVersion.compare(cli.client().apiVersion(), "1.44") < 0) {
            // the docker client asks older daemons to refuse a duplicate name
            body.put("CheckDuplicate", true);
        }
        Map<String, Object> created = Fields.object(cli.client().postJson("/networks/create", null, body));
        cli.out.println(Fields.string(created.get("Id")));
        return 0;
    }

    /** "k=v" flags as a map (docker's MapOpts / ConvertKVStringsToMap); a bare "k" is an empty value. */
    static Map<String, Object> pairs(List<String> flags) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            map.put(eq < 0 ? flag : flag.substring(0, eq), eq < 0 ? "" : flag.substring(eq + 1));
        }
        return map;
    }
}
