package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.Listing;
import dev.berth.cli.output.Row;
import dev.berth.cli.output.StatsRows;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth stats}: docker's live table of CPU, memory, network and block I/O per container,
 * redrawn every half second in place (cursor home, each line erased to its end, the rest of the
 * screen cleared), or printed once with {@code --no-stream}. Without names it shows the running
 * containers (all with -a) and follows them as they come and go by listing them again each second.
 */
@Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics")
public final class StatsCommand implements Callable<Integer> {
    private static final long TICK_MS = 500;
    private static final long RELIST_MS = 1_000;

    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;

    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    private final Map<String, StatsCollector> collectors = new LinkedHashMap<>();

    public StatsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        boolean listed = containers == null || containers.isEmpty();
        try {
            if (listed) {
                follow(list());
            } else {
                for (String name : containers) {
                    add(name);
                }
            }
            for (StatsCollector c : collectors.values()) {
                c.awaitFirst();
            }
            if (!listed) {
                List<String> errors = new ArrayList<>();
                for (StatsCollector c : collectors.values()) {
                    if (c.error() != null) {
                        errors.add(c.error().describe());
                    }
                }
                if (!errors.isEmpty()) {
                    throw new CommandFailed(String.join("\n", errors));
                }
            }
            long lastList = System.nanoTime();
            while (true) {
                Thread.sleep(TICK_MS);
                if (listed && !noStream && System.nanoTime() - lastList >= RELIST_MS * 1_000_000) {
                    follow(list());
                    lastList = System.nanoTime();
                }
                draw();
                if (noStream || listed && collectors.isEmpty() && !all) {
                    return 0;
                }
            }
        } finally {
            collectors.values().forEach(StatsCollector::close);
        }
    }

    private void add(String name) {
        if (!collectors.containsKey(name)) {
            StatsCollector c = new StatsCollector(name);
            collectors.put(name, c);
            c.start(cli.client(), !noStream);
        }
    }

    /** The short IDs of the containers to show, as docker names the ones it lists. */
    private Set<String> list() {
        Set<String> ids = new LinkedHashSet<>();
        try {
            for (Map<String, Object> c : Fields.objects(cli.client().getJson("/containers/json", Query.of().flag("all", all)))) {
                ids.add(Fields.shortId(Fields.string(c.get("Id"))));
            }
        } catch (DaemonException e) {
            if (collectors.isEmpty()) {
                throw e;
            }
            return new LinkedHashSet<>(collectors.keySet()); // keep what we have until the daemon answers again
        }
        return ids;
    }

    /** New containers get a collector; those gone (stopped, or removed with -a) lose theirs. */
    private void follow(Set<String> ids) {
        collectors.entrySet().removeIf(e -> {
            if (ids.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        ids.forEach(this::add);
    }

    private void draw() {
        List<Row> rows = new ArrayList<>();
        for (StatsCollector c : collectors.values()) {
            rows.add(c.entry().row(!noTrunc));
        }
        String table;
        try {
            table = Listing.render(format, StatsRows.DEFAULT_TABLE, StatsRows.HEADERS, rows);
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        if (noStream) {
            cli.out.print(table);
        } else {
            StringBuilder frame = new StringBuilder("\033[H");
            for (String line : table.split("\n", -1)) {
                frame.append(line).append(" \033[K\n");
            }
            cli.out.print(frame.append("\033[J"));
        }
        cli.out.flush();
    }
}
