package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.State;
import dev.berth.runtime.api.ContainerRuntime;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.cgroup.SubCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code exec}: run another process in a running container. The process comes whole from
 * --process, or is built from the container's own process plus the flags ({@link ExecProcess}).
 * Exits with the process's status when attached; failures exit 255, as runc's do.
 */
final class ExecCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("exec", "run a new process inside a running container",
                "<container-id> <command> [args...]  ||  --process process.json <container-id>\n\n"
                        + "Everything after <container-id> is the command and its arguments, flags included.",
                "",
                Flag.string("console-socket", null, "AF_UNIX socket that receives the master end of the process's pseudo-terminal"),
                Flag.string("cwd", null, "working directory of the process inside the container"),
                Flag.strings("env", "e", "add or replace an environment variable (NAME=value); repeatable"),
                Flag.bool("tty", "t", "give the process a pseudo-terminal"),
                Flag.string("user", "u", "run as this user: <uid>[:<gid>]"),
                Flag.integers("additional-gids", "g", "add a supplementary group id; repeatable"),
                Flag.string("process", "p", "JSON file with the whole OCI process to run"),
                Flag.bool("detach", "d", "return once the process is running"),
                Flag.string("pid-file", null, "file to write the process's pid to"),
                Flag.string("process-label", null, "SELinux label of the process"),
                Flag.string("apparmor", null, "AppArmor profile of the process"),
                Flag.bool("no-new-privs", null, "set no_new_privs for the process"),
                Flag.strings("cap", "c", "add a capability to the bounding, effective and permitted sets; repeatable"),
                Flag.integer("preserve-fds", "pass N more file descriptors, from fd 3 on, to the process", "0"),
                Flag.strings("cgroup", null, "run the process in a sub-cgroup of the container's: PATH, or CONTROLLER[,CONTROLLER]:PATH; repeatable"),
                Flag.bool("ignore-paused", null, "allow exec even when the container is paused"));
    }

    @Override
    public int failureStatus() {
        return 255;
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireAtLeast("exec", 1);
        String id = args.positional(0);
        ContainerRuntime runtime = context.runtime();
        State state = runtime.state(id);
        if (state.status() == State.Status.STOPPED) {
            throw BerthException.precondition("cannot exec in a stopped container: \"" + id + "\"");
        }
        if (state.status() == State.Status.PAUSED && !args.bool("ignore-paused")) {
            throw BerthException.precondition("cannot exec in a paused container: \"" + id + "\" (use --ignore-paused to override)");
        }
        Process process = process(context, runtime, id, args);
        boolean detach = args.bool("detach");
        checkConsole(process.terminal(), detach, args.stringOrEmpty("console-socket"));
        long preserveFds = args.integer("preserve-fds", 0);
        if (preserveFds < 0 || preserveFds > Integer.MAX_VALUE) {
            throw BerthException.invalid("--preserve-fds must be between 0 and " + Integer.MAX_VALUE + ": " + preserveFds);
        }
        ExecOptions options = new ExecOptions(process, detach, CreateFlags.path(context, args, "pid-file"),
                CreateFlags.path(context, args, "console-socket"), (int) preserveFds,
                SubCgroups.parse(args.strings("cgroup")).paths());
        return runtime.exec(id, options, args.bool("ignore-paused"));
    }

    static Process process(Context context, ContainerRuntime runtime, String id, ParsedArgs args) {
        String file = args.stringOrEmpty("process");
        if (!file.isEmpty()) {
            Path path = context.resolve(file);
            try {
                return ProcessJson.parse(Files.readString(path), path.toString());
            } catch (IOException e) {
                throw BerthException.invalid("cannot read process file " + path + ": " + e.getMessage());
            }
        }
        Process base = runtime.spec(id).process();
        if (base == null) {
            throw BerthException.precondition("container \"" + id + "\" has no process in its config.json");
        }
        Boolean noNewPrivs = args.isSet("no-new-privs") ? args.bool("no-new-privs") : null;
        return ExecProcess.merge(base, new ExecProcess.Overrides(args.rest(), args.string("cwd"), args.strings("env"),
                args.string("user"), args.strings("additional-gids"), args.strings("cap"), args.bool("tty"),
                noNewPrivs, args.string("apparmor"), args.string("process-label")));
    }

    /** runc's rules: a detached terminal needs somewhere to send it, and a socket needs a detached terminal. */
    static void checkConsole(boolean terminal, boolean detach, String consoleSocket) {
        if (terminal && detach && consoleSocket.isEmpty()) {
            throw BerthException.invalid("cannot allocate tty if berth-runtime will detach without setting console socket");
        }
        if ((!terminal || !detach) && !consoleSocket.isEmpty()) {
            throw BerthException.invalid("cannot use console socket if berth-runtime will not detach or allocate tty");
        }
    }
}
