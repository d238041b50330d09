package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.runtime.api.ContainerRuntime;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * berth-runtime's command line: global flags, then one command from {@link Commands}. Exit
 * statuses follow runc: 0 on success, 1 for errors and usage errors, 3 for an unknown command,
 * a container's own status for attached {@code run} and {@code exec}, 255 when exec fails.
 *
 * <p>Errors go to stderr as the bare message on one line (what podman and containerd read),
 * and also to the {@code --log} file in logrus's text or json shape when one is given.
 */
public final class Cli {
    static final String NAME = "berth-runtime";
    static final String VERSION = "0.1.0";
    static final String SPEC_VERSION = "1.2.0";
    static final String DEFAULT_ROOT = "/run/berth-runtime";

    static final List<Flag> GLOBAL_FLAGS = List.of(
            Flag.bool("debug", null, "write debug details (such as stack traces of internal errors) to the log"),
            Flag.string("log", null, "append errors to this file as well as printing them on stderr"),
            Flag.string("log-format", null, "format of the --log file: 'text' or 'json'", "\"text\""),
            Flag.string("root", null, "directory holding container state, best on tmpfs", "\"" + DEFAULT_ROOT + "\""),
            Flag.string("criu", null, "accepted for runc compatibility and ignored: checkpoint/restore is not supported", "\"criu\""),
            Flag.bool("systemd-cgroup", null, "use the systemd cgroup driver (not supported: berth-runtime drives cgroupfs)"),
            Flag.string("rootless", null, "ignore cgroup permission errors: 'true', 'false' or 'auto'", "\"auto\""),
            Flag.bool("help", "h", "show help"),
            Flag.bool("version", "v", "print the version"));

    private final Function<Path, ContainerRuntime> runtimeFactory;
    private final SpecSource specSource;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Path workingDirectory;

    public Cli(Function<Path, ContainerRuntime> runtimeFactory, SpecSource specSource, InputStream in,
               PrintStream out, PrintStream err, Path workingDirectory) {
        this.runtimeFactory = runtimeFactory;
        this.specSource = specSource;
        this.in = in;
        this.out = out;
        this.err = err;
        this.workingDirectory = workingDirectory;
    }

    /** Runs one invocation and answers its exit status; never calls System.exit. */
    public int run(String[] args) {
        ParsedArgs global;
        try {
            global = FlagParser.parse(GLOBAL_FLAGS, args, 0);
        } catch (UsageException e) {
            out.print("Incorrect Usage. " + e.getMessage() + "\n\n" + appHelp());
            err.println(e.getMessage());
            return 1;
        }
        if (global.bool("version")) {
            out.print(NAME + " version " + VERSION + "\nspec: " + SPEC_VERSION + "\n");
            return 0;
        }
        if (global.bool("help") || global.helpRequested() || global.positional().isEmpty()) {
            out.print(appHelp());
            return 0;
        }
        ErrorLog log = null;
        try {
            GlobalOptions options = globalOptions(global);
            log = options.log() == null ? null : new ErrorLog(resolve(options.log()), options.jsonLog());
            return dispatch(options, global.positional(), log);
        } catch (BerthException e) {
            return fail(e.getMessage(), log, 1);
        }
    }

    private int dispatch(GlobalOptions options, List<String> positional, ErrorLog log) {
        String name = positional.get(0);
        String[] rest = positional.subList(1, positional.size()).toArray(new String[0]);
        if (name.equals("help") || name.equals("h")) {
            return help(rest, log);
        }
        Command command = Commands.named(name);
        if (command == null) {
            return fail("No help topic for '" + name + "'", log, 3);
        }
        try {
            // runc reorders flags after positionals for every command but exec and ps
            String[] words = name.equals("exec") || name.equals("ps") ? rest : FlagParser.reorder(rest);
            ParsedArgs parsed = command.acceptsAnyFlags() ? FlagParser.parseLoosely(rest)
                    : FlagParser.parse(command.help().flags(), words, 0);
            if (parsed.helpRequested()) {
                out.print(HelpPrinter.command(command.help()));
                return 0;
            }
            Context context = new Context(options, runtimeFactory, specSource, in, out, err, workingDirectory);
            return command.run(context, parsed);
        } catch (UsageException e) {
            out.print((e.flagError() ? "Incorrect Usage: " + e.getMessage() : "Incorrect Usage.") + "\n\n"
                    + HelpPrinter.command(command.help()));
            return fail(e.getMessage(), log, 1);
        } catch (BerthException e) {
            return fail(e.getMessage(), log, command.failureStatus());
        } catch (RuntimeException e) {
            // A bug or an unexpected JDK failure: still one line on stderr, details with --debug.
            if (options.debug()) {
                e.printStackTrace(err);
            }
            return fail(e.getMessage() == null ? e.toString() : e.getMessage(), log, command.failureStatus());
        } finally {
            out.flush();
        }
    }

    private int help(String[] topics, ErrorLog log) {
        if (topics.length == 0) {
            out.print(appHelp());
            return 0;
        }
        Command command = Commands.named(topics[0]);
        if (command == null) {
            return fail("No help topic for '" + topics[0] + "'", log, 3);
        }
        out.print(HelpPrinter.command(command.help()));
        return 0;
    }

    private GlobalOptions globalOptions(ParsedArgs global) {
        String format = global.string("log-format");
        boolean json;
        if (format == null || format.equals("text")) {
            json = false;
        } else if (format.equals("json")) {
            json = true;
        } else {
            throw BerthException.invalid("invalid log-format: " + format);
        }
        String rootless = global.string("rootless");
        if (rootless != null && !rootless.equals("auto") && !rootless.equals("true") && !rootless.equals("false")) {
            throw BerthException.invalid("invalid --rootless value: " + rootless + " (want true, false or auto)");
        }
        String root = global.string("root");
        Path rootPath = resolve(root == null || root.isEmpty() ? DEFAULT_ROOT : root);
        String log = global.string("log");
        return new GlobalOptions(rootPath, log == null || log.isEmpty() ? null : log, json, global.bool("debug"),
                global.bool("systemd-cgroup"), rootless == null ? "auto" : rootless);
    }

    private Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    private int fail(String message, ErrorLog log, int status) {
        err.println(message);
        err.flush();
        if (log != null) {
            log.write("error", message);
        }
        return status;
    }

    private static String appHelp() {
        return HelpPrinter.app(Commands.all(), GLOBAL_FLAGS);
    }
}
