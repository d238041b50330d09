package dev.berth.oci.runtime;

import java.util.List;

/** process: what runs in the container (config.md "Process"). */
public record Process(
        boolean terminal,
        ConsoleSize consoleSize,
        String cwd,
        List<String> env,
        List<String> args,
        String commandLine,
        List<Rlimit> rlimits,
        String apparmorProfile,
        Capabilities capabilities,
        boolean noNewPrivileges,
        Integer oomScoreAdj,
        String selinuxLabel,
        User user) {
    public Process {
        env = List.copyOf(env == null ? List.of() : env);
        args = List.copyOf(args == null ? List.of() : args);
        rlimits = List.copyOf(rlimits == null ? List.of() : rlimits);
    }
}
