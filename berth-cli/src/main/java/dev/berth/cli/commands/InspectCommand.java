package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth inspect}: like docker's, it asks for a container, then an image, a network and a
 * volume of that name; "No such object" when none exists. With {@code --type} only that kind,
 * and the daemon's own error when it is missing.
 */
@Command(name = "inspect", description = "Return low-level information on berth objects")
public final class InspectCommand implements Callable<Integer> {
    private static final List<String> DOCKER_TYPES =
            List.of("config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume");

    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    @Option(names = "--type", description = "Only inspect objects of the given type (container, image, volume)")
    String type;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    public InspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (type != null && !type.isEmpty() && !DOCKER_TYPES.contains(type)) {
            throw new CommandFailed("unknown type: \"" + type + "\": must be one of \"" + String.join("\", \"", DOCKER_TYPES)
                    + "\"");
        }
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            if (type != null && !type.isEmpty()) {
                try {
                    inspector.add(get(name, type), errors);
                } catch (DaemonException e) {
                    errors.add(e.describe());
                }
                continue;
            }
            String raw = null;
            for (String kind : List.of("container", "image", "network", "volume")) {
                raw = tryGet(name, kind);
                if (raw != null) {
                    break;
                }
            }
            if (raw == null) {
                errors.add("Error: No such object: " + name);
            } else {
                inspector.add(raw, errors);
            }
        }
        return inspector.finish(errors);
    }

    private String get(String name, String kind) {
        String escaped = PathSegment.escape(name);
        String path = switch (kind) {
            case "container" -> "/containers/" + escaped + "/json";
            case "image" -> "/images/" + escaped + "/json";
            case "volume" -> "/volumes/" + escaped;
            case "network" -> "/networks/" + escaped;
            // swarm objects: berth has no swarm; the daemon says so in its words
            default -> "/" + kind + "s/" + escaped;
        };
        Query query = Query.of().flag("size", size && kind.equals("container"));
        try (ApiResponse response = cli.client().send("GET", path, query, null, null, null)) {
            return response.text();
        }
    }

    private String tryGet(String name, String kind) {
        try {
            return get(name, kind);
        } catch (DaemonException e) {
            // a daemon without network routes answers otherwise than 404: not this kind either
            if (e.status() == 404 || kind.equals("network") && e.status() >= 400 && e.status() < 500) {
                return null;
            }
            throw e;
        }
    }
}
