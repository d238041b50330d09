package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth inspect}: like docker's, it asks for a container first and then an image of that
 * name (berth has no networks or volumes yet); "No such object" when neither exists.
 */
@Command(name = "inspect", description = "Return low-level information on berth objects")
public final class InspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    @Option(names = "--type", description = "Only inspect objects of the given type (container, image)")
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
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            String raw = null;
            if (type == null || type.equals("container")) {
                raw = tryGet("/containers/" + PathSegment.escape(name) + "/json");
            }
            if (raw == null && (type == null || type.equals("image"))) {
                raw = tryGet("/images/" + PathSegment.escape(name) + "/json");
            }
            if (raw == null) {
                errors.add(type == null ? "Error: No such object: " + name : "Error: No such " + type + ": " + name);
            } else {
                inspector.add(raw, errors);
            }
        }
        return inspector.finish(errors);
    }

    private String tryGet(String path) {
        try (ApiResponse response = cli.client().send("GET", path, null, null, null, null)) {
            return response.text();
        } catch (DaemonException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }
}
