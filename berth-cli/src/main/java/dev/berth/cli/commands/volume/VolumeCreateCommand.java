package dev.berth.cli.commands.volume;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth volume create}: POST /volumes/create, the new volume's name printed. */
@Command(name = "create", description = "Create a volume")
public final class VolumeCreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-d", "--driver"}, defaultValue = "local", description = "Specify volume driver name")
    String driver;

    @Option(names = "--label", description = "Set metadata for a volume")
    List<String> labels;

    @Option(names = {"-o", "--opt"}, description = "Set driver specific options")
    List<String> options;

    @Option(names = "--name", hidden = true, description = "Specify volume name")
    String nameFlag;

    @Parameters(arity = "0..1", paramLabel = "VOLUME")
    String name;

    public VolumeCreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (nameFlag != null && !nameFlag.isEmpty() && name != null) {
            throw new CommandFailed("conflicting options: cannot specify a volume-name through both --name and as a "
                    + "positional arg");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Driver", driver);
        body.put("DriverOpts", pairs(options));
        body.put("Labels", pairs(labels));
        body.put("Name", name != null ? name : nameFlag == null ? "" : nameFlag);
        Map<String, Object> volume = Fields.object(cli.client().postJson("/volumes/create", null, body));
        cli.out.println(Fields.string(volume.get("Name")));
        return 0;
    }

    /** "k=v" flags as a map; a bare "k" is an empty value, as docker's MapOpts has it. */
    static Map<String, Object> pairs(List<String> flags) {
        Map<String, Object> map = new TreeMap<>();
        if (flags != null) {
            for (String flag : flags) {
                int eq = flag.indexOf('=');
                map.put(eq < 0 ? flag : flag.substring(0, eq), eq < 0 ? "" : flag.substring(eq + 1));
            }
        }
        return map;
    }
}
