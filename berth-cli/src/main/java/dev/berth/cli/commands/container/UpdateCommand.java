package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth update}: POST /containers/{id}/update with the resources given (the daemon
 * leaves the others as they are), each name printed as it is updated; warnings to stderr.
 */
@Command(name = "update", description = "Update configuration of one or more containers")
public final class UpdateCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = "--blkio-weight", description = "Block IO (relative weight), between 10 and 1000, or 0 to disable")
    Integer blkioWeight;

    @Option(names = "--cpu-period", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;

    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpus", converter = NanoCpus.class, description = "Number of CPUs")
    Long nanoCpus;

    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;

    @Option(names = {"-m", "--memory"}, converter = MemoryBytes.class, description = "Memory limit")
    Long memory;

    @Option(names = "--memory-reservation", converter = MemoryBytes.class, description = "Memory soft limit")
    Long memoryReservation;

    @Option(names = "--memory-swap", converter = MemoryBytes.class,
            description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap")
    Long memorySwap;

    @Option(names = "--pids-limit", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--restart", description = "Restart policy to apply when a container exits")
    String restart;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    public UpdateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        put(body, "BlkioWeight", blkioWeight);
        put(body, "CpuPeriod", cpuPeriod);
        put(body, "CpuQuota", cpuQuota);
        put(body, "CpuShares", cpuShares);
        put(body, "NanoCpus", nanoCpus);
        put(body, "CpusetCpus", cpusetCpus);
        put(body, "CpusetMems", cpusetMems);
        put(body, "Memory", memory);
        put(body, "MemoryReservation", memoryReservation);
        put(body, "MemorySwap", memorySwap);
        put(body, "PidsLimit", pidsLimit);
        if (restart != null) {
            body.put("RestartPolicy", RestartPolicy.parse(restart));
        }
        if (body.isEmpty()) {
            throw new CommandFailed("you must provide one or more flags when using this command");
        }
        return EachObject.run(cli, containers, name -> {
            Map<String, Object> answer = Fields.object(cli.client().postJson(ContainerPath.of(name, "/update"), null, body));
            for (String warning : Fields.strings(answer.get("Warnings"))) {
                cli.err.println(warning);
            }
        });
    }

    private static void put(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }
}
