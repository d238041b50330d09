package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RangeOfArguments;
import dev.berth.cli.container.ContainerApi;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.NaturalOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth port CONTAINER [PRIVATE_PORT[/PROTO]]}: the container's published ports from its
 * inspect (NetworkSettings.Ports), "80/tcp -> 0.0.0.0:8080" each, or the host addresses of one
 * port, in natural order as docker sorts them; docker's errors for a bad or unpublished port.
 */
@Command(name = "port", description = "List port mappings or a specific mapping for the container",
        customSynopsis = "${COMMAND-FULL-NAME} CONTAINER [PRIVATE_PORT[/PROTO]]")
public final class PortCommand implements Callable<Integer>, RangeOfArguments {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]")
    String port;

    public PortCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Map<String, Object> inspect = Fields.object(cli.client().getJson("/containers/" + ContainerApi.segment(container)
                + "/json", null));
        Map<String, Object> ports = Fields.object(Fields.object(inspect.get("NetworkSettings")).get("Ports"));
        List<String> out = new ArrayList<>();
        if (port != null) {
            int slash = port.indexOf('/');
            String number = slash < 0 ? port : port.substring(0, slash);
            String proto = slash < 0 || slash == port.length() - 1 ? "tcp" : port.substring(slash + 1);
            if (number.isEmpty() || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new CommandFailed("Error: invalid port (" + number + "): strconv.ParseUint: parsing \"" + number
                        + "\": invalid syntax");
            }
            if (number.length() > 5 || Long.parseLong(number) > 65535) {
                throw new CommandFailed("Error: invalid port (" + number + "): strconv.ParseUint: parsing \"" + number
                        + "\": value out of range");
            }
            List<Map<String, Object>> frontends = Fields.objects(ports.get(number + "/" + proto));
            if (frontends.isEmpty()) {
                throw new CommandFailed("Error: No public port '" + port + "' published for " + container);
            }
            for (Map<String, Object> f : frontends) {
                out.add(joinHostPort(Fields.string(f.get("HostIp")), Fields.string(f.get("HostPort"))));
            }
        } else {
            ports.forEach((from, list) -> {
                for (Map<String, Object> f : Fields.objects(list)) {
                    out.add(from + " -> " + joinHostPort(Fields.string(f.get("HostIp")), Fields.string(f.get("HostPort"))));
                }
            });
        }
        if (!out.isEmpty()) {
            out.sort(NaturalOrder::compare);
            cli.out.println(String.join("\n", out));
        }
        return 0;
    }

    /** Go's net.JoinHostPort: brackets around an IPv6 host. */
    static String joinHostPort(String host, String port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
