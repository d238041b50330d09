package dev.berth.registry.cli;

import dev.berth.oci.BerthException;
import dev.berth.registry.RegistryException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth registry …}: {@code serve} and {@code gc}. {@code bin/berth} hands every
 * {@code registry} command line here (without the word "registry"). Exit status: 0, 1 when the
 * command fails, 125 for a wrong command line (as berth's other commands).
 */
@Command(name = "berth registry", description = "Run and maintain an OCI distribution registry",
         usageHelpAutoWidth = true,
        subcommands = {ServeCommand.class, GcCommand.class})
public final class RegistryMain implements Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    private RegistryMain() {}

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine line = new CommandLine(new RegistryMain());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("berth registry: " + describe(e));
            err.flush();
            return 1;
        });
        line.setParameterExceptionHandler((e, args2) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("berth registry: " + e.getMessage());
            err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return 125;
        });
        return line.execute(args);
    }

    private static String describe(Throwable e) {
        if (e instanceof IllegalArgumentException || e instanceof BerthException || e instanceof RegistryException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
