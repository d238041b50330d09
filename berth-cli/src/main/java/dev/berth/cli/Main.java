package dev.berth.cli;

import dev.berth.cli.commands.AttachCommand;
import dev.berth.cli.commands.BerthVersion;
import dev.berth.cli.commands.CreateCommand;
import dev.berth.cli.commands.ExecCommand;
import dev.berth.cli.commands.LogsCommand;
import dev.berth.cli.commands.RunCommand;
import dev.berth.cli.commands.StartCommand;
import dev.berth.cli.commands.WaitCommand;
import dev.berth.cli.container.FlagValueException;
import dev.berth.cli.container.RunException;
import dev.berth.cli.commands.BootstrapCommand;
import dev.berth.cli.commands.DfCommand;
import dev.berth.cli.commands.HistoryCommand;
import dev.berth.cli.commands.ImageInspectCommand;
import dev.berth.cli.commands.ImagesCommand;
import dev.berth.cli.commands.ImportCommand;
import dev.berth.cli.commands.InfoCommand;
import dev.berth.cli.commands.InspectCommand;
import dev.berth.cli.commands.LoadCommand;
import dev.berth.cli.commands.LoginCommand;
import dev.berth.cli.commands.LogoutCommand;
import dev.berth.cli.commands.PullCommand;
import dev.berth.cli.commands.PushCommand;
import dev.berth.cli.commands.PruneCommand;
import dev.berth.cli.commands.RmiCommand;
import dev.berth.cli.commands.SaveCommand;
import dev.berth.cli.commands.TagCommand;
import dev.berth.cli.commands.TlsInitCommand;
import dev.berth.cli.commands.VersionCommand;
import dev.berth.cli.format.TemplateException;
import dev.berth.client.ConnectException;
import dev.berth.client.DaemonException;
import dev.berth.oci.BerthException;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code berth} executable: docker's command names, flags and output over the Docker Engine
 * API. Exit status: 0, 1 when a command or the daemon fails, 125 for a wrong command line.
 */
@Command(name = "berth", description = "A self-sufficient runtime for containers",
        usageHelpAutoWidth = true)
public final class Main implements Callable<Integer> {
    @Option(names = {"-H", "--host"}, description = "Daemon socket to connect to")
    List<String> hosts;

    @Option(names = "--tls", description = "Use TLS; implied by --tlsverify")
    boolean tls;

    @Option(names = "--tlsverify", arity = "0..1", fallbackValue = "true",
            description = "Use TLS and verify the remote")
    Boolean tlsVerify;

    @Option(names = "--tlscacert", description = "Trust certs signed only by this CA")
    String tlsCaCert;

    @Option(names = "--tlscert", description = "Path to TLS certificate file")
    String tlsCert;

    @Option(names = "--tlskey", description = "Path to TLS key file")
    String tlsKey;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    boolean debug;

    @Option(names = {"-l", "--log-level"}, description = "Set the logging level")
    String logLevel;

    @Option(names = {"-c", "--context"}, hidden = true)
    String context;

    @Option(names = "--config", description = "Location of client config files (default \"~/.docker\")")
    String config;

    @Option(names = {"-v", "--version"}, description = "Print version information and quit")
    boolean version;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    private final Cli cli;

    Main(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (version) {
            cli.out.println("berth version " + BerthVersion.VERSION);
            return 0;
        }
        new CommandLine(this).usage(cli.out);
        return 0;
    }

    public static void main(String[] args) {
        // Jetty logs through SLF4J and berth ships no binding: keep SLF4J's "no providers" notice quiet
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status;
        try (Cli cli = new Cli(System.in, out, err, System.getenv(), Clock.systemUTC(), ZoneId.systemDefault(),
                Terminal::isTerminal)) {
            status = run(cli, args);
        }
        out.flush();
        System.exit(status);
    }

    /** Runs one command line; the exit status. */
    public static int run(Cli cli, String... args) {
        CommandLine line = commandLine(cli);
        try {
            return line.execute(args);
        } finally {
            cli.out.flush();
        }
    }

    static CommandLine commandLine(Cli cli) {
        Main root = new Main(cli);
        CommandLine line = new CommandLine(root);
        line.addSubcommand("version", new VersionCommand(cli));
        line.addSubcommand("info", new InfoCommand(cli));
        line.addSubcommand("images", new CommandLine(new ImagesCommand(cli)).setCommandName("images"));
        line.addSubcommand("inspect", new InspectCommand(cli));
        line.addSubcommand("history", new HistoryCommand(cli));
        line.addSubcommand("tag", new TagCommand(cli));
        line.addSubcommand("rmi", new CommandLine(new RmiCommand(cli)).setCommandName("rmi"));
        line.addSubcommand("load", new LoadCommand(cli));
        line.addSubcommand("save", new SaveCommand(cli));
        line.addSubcommand("import", new ImportCommand(cli));
        line.addSubcommand("pull", new PullCommand(cli));
        line.addSubcommand("push", new PushCommand(cli));
        line.addSubcommand("login", new LoginCommand(cli));
        line.addSubcommand("logout", new LogoutCommand(cli));
        addContainerStreams(line, cli, "berth");

        CommandLine container = new CommandLine(new Groups.Container());
        addContainerStreams(container, cli, "berth container");
        line.addSubcommand("container", container);

        CommandLine image = new CommandLine(new Groups.Image());
        image.addSubcommand("ls", new CommandLine(new ImagesCommand(cli)).setCommandName("ls"), "list");
        image.addSubcommand("inspect", new ImageInspectCommand(cli));
        image.addSubcommand("history", new HistoryCommand(cli));
        image.addSubcommand("tag", new TagCommand(cli));
        image.addSubcommand("rm", new CommandLine(new RmiCommand(cli)).setCommandName("rm"), "remove");
        image.addSubcommand("prune", new PruneCommand(cli));
        image.addSubcommand("load", new LoadCommand(cli));
        image.addSubcommand("save", new SaveCommand(cli));
        image.addSubcommand("import", new ImportCommand(cli));
        image.addSubcommand("pull", new PullCommand(cli));
        image.addSubcommand("push", new PushCommand(cli));
        image.addSubcommand("bootstrap", new BootstrapCommand(cli));
        line.addSubcommand("image", image);

        CommandLine system = new CommandLine(new Groups.SystemGroup());
        system.addSubcommand("df", new DfCommand(cli));
        system.addSubcommand("info", new InfoCommand(cli));
        line.addSubcommand("system", system);

        CommandLine tls = new CommandLine(new Groups.Tls());
        tls.addSubcommand("init", new TlsInitCommand(cli));
        line.addSubcommand("tls", tls);

        ManageCommands.register(line, cli);

        line.setOut(new PrintWriter(cli.out, true));
        line.setErr(new PrintWriter(cli.err, true));
        line.setPosixClusteredShortOptionsAllowed(true);
        line.setExpandAtFiles(false); // "@name" is an image reference, not an argument file
        line.setExecutionStrategy(parsed -> {
            root.publishOptions();
            return new CommandLine.RunLast().execute(parsed);
        });
        line.setParameterExceptionHandler((e, args) -> UsageErrors.report(e, cli.err));
        line.setExecutionExceptionHandler((e, failed, parsed) -> report(cli, e, failed));
        return line;
    }

    /** run, create, start, attach, exec, logs, wait: at the top and under {@code berth container}. */
    private static void addContainerStreams(CommandLine parent, Cli cli, String prefix) {
        // docker stops reading flags at the image (run, create) or container (exec): the rest is the command
        parent.addSubcommand("run", synopsis(new CommandLine(new RunCommand(cli)).setStopAtPositional(true), prefix));
        parent.addSubcommand("create", synopsis(new CommandLine(new CreateCommand(cli)).setStopAtPositional(true), prefix));
        parent.addSubcommand("exec", synopsis(new CommandLine(new ExecCommand(cli)).setStopAtPositional(true), prefix));
        parent.addSubcommand("start", new StartCommand(cli));
        parent.addSubcommand("attach", new AttachCommand(cli));
        parent.addSubcommand("logs", new LogsCommand(cli));
        parent.addSubcommand("wait", new WaitCommand(cli));
    }

    private void publishOptions() {
        GlobalOptions options = new GlobalOptions();
        options.hosts = hosts;
        options.tls = tls || Boolean.TRUE.equals(tlsVerify);
        options.tlsVerify = tlsVerify;
        options.tlsCaCert = tlsCaCert;
        options.tlsCert = tlsCert;
        options.tlsKey = tlsKey;
        options.debug = debug;
        options.configDir = config;
        cli.options(options);
    }

    /** The usage line under its parent: "berth container run [OPTIONS] IMAGE [COMMAND] [ARG...]". */
    private static CommandLine synopsis(CommandLine command, String prefix) {
        var usage = command.getCommandSpec().usageMessage();
        String line = usage.customSynopsis()[0];
        usage.customSynopsis(prefix + line.substring("berth".length()));
        return command;
    }

    /** Prints a failure the way docker does and returns the exit status. */
    static int report(Cli cli, Exception e, CommandLine failed) {
        cli.out.flush();
        if (e instanceof FlagValueException f) {
            return UsageErrors.report(new CommandLine.ParameterException(failed, f.getMessage()), cli.err);
        }
        if (e instanceof RunException r) {
            // docker run's reportError: "docker: <message>", a blank line, where to read more
            cli.err.println(failed.getCommandSpec().root().name() + ": " + r.getMessage());
            cli.err.println();
            cli.err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for more information");
            return r.status();
        }
        if (e instanceof DaemonException d) {
            cli.err.println(d.describe());
            return 1;
        }
        if (e instanceof CommandFailed f) {
            if (!f.getMessage().isEmpty()) {
                cli.err.println(f.getMessage());
            }
            return f.status();
        }
        if (e instanceof UsageException u) {
            cli.err.println(u.getMessage());
            return 125;
        }
        if (e instanceof ConnectException || e instanceof TemplateException) {
            cli.err.println(e.getMessage());
            return 1;
        }
        if (e instanceof BerthException b) {
            cli.err.println(b.getMessage());
            return 1;
        }
        if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                || e instanceof java.io.IOException) {
            cli.err.println(e.getMessage());
            return 1;
        }
        cli.err.println("berth: " + e);
        if (cli.options().debug) {
            e.printStackTrace(cli.err);
        }
        return 1;
    }
}
