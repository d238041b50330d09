package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.format.Units;
import dev.berth.cli.output.Fields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth info}: system-wide information, in the order and words of docker's. */
@Command(name = "info", description = "Display system-wide information")
public final class InfoCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    public InfoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (format == null || format.isEmpty()) {
            return table();
        }
        Map<String, Object> data = new LinkedHashMap<>(Fields.object(cli.client().getJson("/info", null)));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Debug", cli.options().debug);
        client.put("Version", BerthVersion.VERSION);
        client.put("Context", "default");
        data.put("ClientInfo", client);
        try {
            String source = format.equals("json") ? "{{json .}}" : format;
            cli.out.print(Template.parse(source).execute(data, false) + "\n");
        } catch (TemplateException e) {
            throw new CommandFailed("template parsing error: " + e.getMessage());
        }
        return 0;
    }

    /** The client part first, as docker prints it even when the daemon is not there. */
    private int table() {
        cli.out.print("Client:\n Version:    " + BerthVersion.VERSION + "\n Context:    default\n Debug Mode: "
                + cli.options().debug + "\n\nServer:\n");
        Map<String, Object> info = Fields.object(cli.client().getJson("/info", null));
        StringBuilder o = new StringBuilder();
        server(info, o);
        cli.out.print(o);
        for (String warning : Fields.strings(info.get("Warnings"))) {
            cli.err.println(warning);
        }
        return 0;
    }

    static void server(Map<String, Object> info, StringBuilder o) {
        line(o, " Containers:", num(info, "Containers"));
        line(o, "  Running:", num(info, "ContainersRunning"));
        line(o, "  Paused:", num(info, "ContainersPaused"));
        line(o, "  Stopped:", num(info, "ContainersStopped"));
        line(o, " Images:", num(info, "Images"));
        nonEmpty(o, " Server Version:", str(info, "ServerVersion"));
        line(o, " Storage Driver:", str(info, "Driver"));
        for (Object pair : list(info.get("DriverStatus"))) {
            List<String> kv = Fields.strings(pair);
            if (kv.size() == 2) {
                o.append("  ").append(kv.get(0)).append(": ").append(kv.get(1)).append('\n');
            }
        }
        if (!str(info, "LoggingDriver").isEmpty()) {
            line(o, " Logging Driver:", str(info, "LoggingDriver"));
        }
        if (!str(info, "CgroupDriver").isEmpty()) {
            line(o, " Cgroup Driver:", str(info, "CgroupDriver"));
        }
        if (!str(info, "CgroupVersion").isEmpty()) {
            line(o, " Cgroup Version:", str(info, "CgroupVersion"));
        }
        Map<String, Object> plugins = Fields.object(info.get("Plugins"));
        o.append(" Plugins:\n");
        line(o, "  Volume:", String.join(" ", Fields.strings(plugins.get("Volume"))));
        line(o, "  Network:", String.join(" ", Fields.strings(plugins.get("Network"))));
        if (!Fields.strings(plugins.get("Authorization")).isEmpty()) {
            line(o, "  Authorization:", String.join(" ", Fields.strings(plugins.get("Authorization"))));
        }
        line(o, "  Log:", String.join(" ", Fields.strings(plugins.get("Log"))));
        List<String> cdi = Fields.strings(info.get("CDISpecDirs"));
        if (!cdi.isEmpty()) {
            o.append(" CDI spec directories:\n");
            for (String dir : cdi) {
                o.append("  ").append(dir).append('\n');
            }
        }
        Map<String, Object> swarm = Fields.object(info.get("Swarm"));
        line(o, " Swarm:", Fields.string(swarm.get("LocalNodeState")));
        Map<String, Object> runtimes = Fields.object(info.get("Runtimes"));
        if (!runtimes.isEmpty()) {
            line(o, " Runtimes:", String.join(" ", runtimes.keySet()));
        }
        line(o, " Default Runtime:", str(info, "DefaultRuntime"));
        if (str(info, "OSType").equals("linux")) {
            line(o, " Init Binary:", str(info, "InitBinary"));
            commit(o, "containerd", Fields.object(info.get("ContainerdCommit")));
            commit(o, "runc", Fields.object(info.get("RuncCommit")));
            commit(o, "init", Fields.object(info.get("InitCommit")));
            List<String> security = Fields.strings(info.get("SecurityOptions"));
            if (!security.isEmpty()) {
                o.append(" Security Options:\n");
                for (String option : security) {
                    String name = "";
                    List<String[]> rest = new ArrayList<>();
                    for (String kv : option.split(",")) {
                        String[] parts = kv.split("=", 2);
                        if (parts.length == 2 && parts[0].equals("name")) {
                            name = parts[1];
                        } else if (parts.length == 2) {
                            rest.add(parts);
                        }
                    }
                    o.append("  ").append(name).append('\n');
                    for (String[] kv : rest) {
                        if (kv[0].equals("profile")) {
                            o.append("   Profile: ").append(kv[1]).append('\n');
                        }
                    }
                }
            }
        }
        nonEmpty(o, " Kernel Version:", str(info, "KernelVersion"));
        nonEmpty(o, " Operating System:", str(info, "OperatingSystem"));
        nonEmpty(o, " OSType:", str(info, "OSType"));
        nonEmpty(o, " Architecture:", str(info, "Architecture"));
        line(o, " CPUs:", num(info, "NCPU"));
        line(o, " Total Memory:", Units.bytesSize(Fields.number(info.get("MemTotal"))));
        nonEmpty(o, " Name:", str(info, "Name"));
        nonEmpty(o, " ID:", str(info, "ID"));
        line(o, " Docker Root Dir:", str(info, "DockerRootDir"));
        boolean debug = Fields.bool(info.get("Debug"));
        line(o, " Debug Mode:", Boolean.toString(debug));
        if (debug) {
            line(o, "  File Descriptors:", num(info, "NFd"));
            line(o, "  Goroutines:", num(info, "NGoroutines"));
            line(o, "  System Time:", str(info, "SystemTime"));
            line(o, "  EventsListeners:", num(info, "NEventsListener"));
        }
        nonEmpty(o, " HTTP Proxy:", str(info, "HttpProxy"));
        nonEmpty(o, " HTTPS Proxy:", str(info, "HttpsProxy"));
        nonEmpty(o, " No Proxy:", str(info, "NoProxy"));
        List<String> labels = Fields.strings(info.get("Labels"));
        if (!labels.isEmpty()) {
            o.append(" Labels:\n");
            for (String label : labels) {
                o.append("  ").append(label).append('\n');
            }
        }
        line(o, " Experimental:", Boolean.toString(Fields.bool(info.get("ExperimentalBuild"))));
        Map<String, Object> registry = Fields.object(info.get("RegistryConfig"));
        List<String> cidrs = Fields.strings(registry.get("InsecureRegistryCIDRs"));
        Map<String, Object> indexes = Fields.object(registry.get("IndexConfigs"));
        if (!registry.isEmpty() && (!cidrs.isEmpty() || !indexes.isEmpty())) {
            o.append(" Insecure Registries:\n");
            for (Object index : indexes.values()) {
                Map<String, Object> config = Fields.object(index);
                if (!Fields.bool(config.get("Secure"))) {
                    o.append("  ").append(Fields.string(config.get("Name"))).append('\n');
                }
            }
            for (String cidr : cidrs) {
                o.append("  ").append(cidr).append('\n');
            }
        }
        List<String> mirrors = Fields.strings(registry.get("Mirrors"));
        if (!mirrors.isEmpty()) {
            o.append(" Registry Mirrors:\n");
            for (String mirror : mirrors) {
                o.append("  ").append(mirror).append('\n');
            }
        }
        line(o, " Live Restore Enabled:", Boolean.toString(Fields.bool(info.get("LiveRestoreEnabled"))));
        nonEmpty(o, " Product License:", str(info, "ProductLicense"));
        List<Map<String, Object>> pools = Fields.objects(info.get("DefaultAddressPools"));
        if (!pools.isEmpty()) {
            o.append(" Default Address Pools:\n");
            for (Map<String, Object> pool : pools) {
                o.append("   Base: ").append(Fields.string(pool.get("Base"))).append(", Size: ")
                        .append(Fields.number(pool.get("Size"))).append('\n');
            }
        }
        o.append('\n');
    }

    private static void commit(StringBuilder o, String name, Map<String, Object> commit) {
        String id = Fields.string(commit.get("ID"));
        String expected = Fields.string(commit.get("Expected"));
        o.append(' ').append(name).append(" version: ").append(id);
        if (commit.containsKey("Expected") && !id.equals(expected)) {
            o.append(" (expected: ").append(expected).append(')');
        }
        o.append('\n');
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static String str(Map<String, Object> info, String key) {
        return Fields.string(info.get(key));
    }

    private static String num(Map<String, Object> info, String key) {
        return Long.toString(Fields.number(info.get(key)));
    }

    /** Go's fmt.Fprintln(label, value): a space between. */
    private static void line(StringBuilder o, String label, String value) {
        o.append(label).append(' ').append(value).append('\n');
    }

    private static void nonEmpty(StringBuilder o, String label, String value) {
        if (!value.isEmpty()) {
            line(o, label, value);
        }
    }
}
