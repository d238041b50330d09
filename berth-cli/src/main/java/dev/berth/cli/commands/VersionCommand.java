package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TabWriter;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.GoTime;
import dev.berth.client.ApiVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth version}: the client's and the daemon's versions, laid out as docker's. */
@Command(name = "version", description = "Show the berth version information")
public final class VersionCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    public VersionCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Map<String, Object> client = new LinkedHashMap<>();
        RuntimeException serverError = null;
        Map<String, Object> server = null;
        String apiVersion;
        try {
            apiVersion = cli.client().apiVersion();
            server = Fields.object(cli.client().getJson("/version", null));
        } catch (RuntimeException e) {
            serverError = e;
            apiVersion = ApiVersion.CLIENT_MAX;
        }
        client.put("Version", BerthVersion.VERSION);
        client.put("APIVersion", apiVersion);
        client.put("DefaultAPIVersion", ApiVersion.CLIENT_MAX);
        client.put("JavaVersion", System.getProperty("java.version"));
        client.put("Os", BerthVersion.os());
        client.put("Arch", BerthVersion.arch());
        client.put("Context", "default");
        if (format != null && !format.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Client", client);
            if (server != null) {
                // docker's template sees types.Version, whose Go field names differ from the JSON keys
                server = new LinkedHashMap<>(server);
                server.put("APIVersion", server.get("ApiVersion"));
                server.put("MinAPIVersion", server.get("MinAPIVersion"));
            }
            data.put("Server", server);
            try {
                cli.out.print(Template.parse(format).execute(data, false) + "\n");
            } catch (TemplateException e) {
                throw new CommandFailed("template parsing error: " + e.getMessage());
            }
        } else {
            cli.out.print(render(client, server));
        }
        if (serverError != null) {
            throw serverError;
        }
        return 0;
    }

    private String render(Map<String, Object> client, Map<String, Object> server) {
        StringBuilder t = new StringBuilder();
        String api = Fields.string(client.get("APIVersion"));
        t.append("Client:\n");
        t.append(" Version:\t").append(client.get("Version")).append('\n');
        t.append(" API version:\t").append(api);
        if (!api.equals(ApiVersion.CLIENT_MAX)) {
            t.append(" (downgraded from ").append(ApiVersion.CLIENT_MAX).append(')');
        }
        t.append('\n');
        t.append(" Java version:\t").append(client.get("JavaVersion")).append('\n');
        t.append(" OS/Arch:\t").append(client.get("Os")).append('/').append(client.get("Arch")).append('\n');
        t.append(" Context:\t").append(client.get("Context"));
        if (server != null) {
            String platform = Fields.string(Fields.object(server.get("Platform")).get("Name"));
            t.append("\n\nServer:").append(platform.isEmpty() ? "" : " " + platform);
            for (Map<String, Object> component : Fields.objects(server.get("Components"))) {
                String name = Fields.string(component.get("Name"));
                Map<String, Object> details = Fields.object(component.get("Details"));
                t.append("\n ").append(name).append(':');
                if (name.equals("Engine")) {
                    t.append("\n  Version:\t").append(Fields.string(component.get("Version")));
                    t.append("\n  API version:\t").append(Fields.string(details.get("ApiVersion")))
                            .append(" (minimum version ").append(Fields.string(details.get("MinAPIVersion"))).append(')');
                    t.append("\n  Go version:\t").append(Fields.string(details.get("GoVersion")));
                    t.append("\n  Git commit:\t").append(Fields.string(details.get("GitCommit")));
                    t.append("\n  Built:\t").append(GoTime.ansic(Fields.string(details.get("BuildTime")), cli.zone));
                    t.append("\n  OS/Arch:\t").append(Fields.string(details.get("Os"))).append('/')
                            .append(Fields.string(details.get("Arch")));
                    t.append("\n  Experimental:\t").append(Fields.string(details.get("Experimental")));
                } else {
                    t.append("\n  Version:\t").append(Fields.string(component.get("Version")));
                    List<String> keys = new ArrayList<>(new TreeMap<>(details).keySet());
                    for (String key : keys) {
                        t.append("\n  ").append(key).append(":\t").append(Fields.string(details.get(key)));
                    }
                }
            }
        }
        t.append('\n');
        return new TabWriter(20, 1).write(t.toString()).flush();
    }
}
