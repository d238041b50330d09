package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.State;
import dev.berth.runtime.api.ContainerRuntime;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code events}: resource usage as JSON lines, {@code {"type":"stats","id":...,"data":...}}.
 * With --stats one line and done; otherwise a line every --interval (the first one at once)
 * until the container stops or is deleted.
 */
final class EventsCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("events", "print resource usage events of a container (cpu, memory, pids)",
                "<container-id>",
                "Prints a stats event for the container every --interval, as one JSON object per line,\n"
                        + "until the container stops.",
                Flag.duration("interval", "time between two stats events", "5s"),
                Flag.bool("stats", null, "print the stats once and exit"));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("events", 1);
        String id = args.positional(0);
        Duration interval = args.duration("interval", Duration.ofSeconds(5));
        if (interval.isNegative() || interval.isZero()) {
            throw BerthException.invalid("--interval must be greater than 0");
        }
        ContainerRuntime runtime = context.runtime();
        if (runtime.state(id).status() == State.Status.STOPPED) {
            throw BerthException.precondition("container \"" + id + "\" is not running");
        }
        PrintStream out = context.out();
        if (args.bool("stats")) {
            print(out, id, runtime);
            return 0;
        }
        // stats every interval; between them, the OOM kill counter is looked at often enough
        // that an "oom" event follows the kill closely, as runc's (eventfd-driven) one does
        long ooms = oomKills(runtime, id);
        long tick = Math.min(interval.toMillis(), 250);
        long nextStats = 0;
        while (running(runtime, id)) {
            try {
                long now = System.nanoTime() / 1_000_000;
                if (now >= nextStats) {
                    print(out, id, runtime);
                    nextStats = now + interval.toMillis();
                }
                long kills = oomKills(runtime, id);
                if (kills > ooms) {
                    StringBuilder line = new StringBuilder("{\"type\":\"oom\",\"id\":");
                    CliJson.string(line, id);
                    out.print(line.append("}\n"));
                    out.flush();
                    ooms = kills;
                }
            } catch (BerthException e) {
                if (e.kind() == BerthException.Kind.NOT_FOUND) {
                    return 0; // deleted between the state check and the stats read
                }
                throw e;
            }
            try {
                Thread.sleep(Math.max(1, tick));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    private static long oomKills(ContainerRuntime runtime, String id) {
        try {
            return runtime.oomKills(id);
        } catch (BerthException e) {
            if (e.kind() == BerthException.Kind.NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }

    private static void print(PrintStream out, String id, ContainerRuntime runtime) {
        out.print(CliJson.compact(StatsEvent.tree(id, runtime.stats(id))) + "\n");
        out.flush();
    }

    private static boolean running(ContainerRuntime runtime, String id) {
        try {
            return runtime.state(id).status() != State.Status.STOPPED;
        } catch (BerthException e) {
            if (e.kind() == BerthException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
