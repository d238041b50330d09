package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Wrong command lines in the docker CLI's words: "unknown flag: --x" (status 125),
 * "berth: 'berth tag' requires 2 arguments" and "berth: unknown command: berth nope" (status
 * 1), each followed by the command's usage line and where to read more.
 */
final class UsageErrors {
    private UsageErrors() {}

    /** Prints the message for a parse failure and returns the exit status. */
    static int report(CommandLine.ParameterException e, java.io.PrintStream err) {
        CommandLine failed = e.getCommandLine();
        CommandSpec spec = failed.getCommandSpec();
        String name = spec.qualifiedName();
        String message;
        int status;
        // cobra's minimum-arguments check says "See", the others "Run"
        String see = "Run";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            if (arg.startsWith("--")) {
                message = "unknown flag: " + arg.split("=", 2)[0];
                status = 125;
            } else if (arg.startsWith("-") && arg.length() > 1) {
                message = "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
                status = 125;
            } else if (!spec.subcommands().isEmpty()) {
                message = spec.root().name() + ": unknown command: " + name + " " + arg;
                status = 1;
                if (spec.parent() == null) {
                    err.println(message);
                    err.println();
                    err.println("Run '" + name + " --help' for more information");
                    return status;
                }
            } else {
                message = spec.root().name() + ": " + arguments(spec, true);
                status = 1;
            }
        } else if (e instanceof CommandLine.MissingParameterException) {
            message = spec.root().name() + ": " + arguments(spec, false);
            status = 1;
            if (message.contains(" at least ") && !message.contains(" and at most ")) {
                see = "See";
            }
        } else if (badValue(e) != null) {
            message = badValue(e);
            status = 125;
        } else {
            message = e.getMessage();
            status = 125;
        }
        err.println(message);
        err.println();
        err.println("Usage:  " + usageLine(spec));
        err.println();
        err.println(see + " '" + name + " --help' for more information");
        return status;
    }

    /** "'berth tag' requires 2 arguments", with cobra's wording for each kind of limit. */
    private static String arguments(CommandSpec spec, boolean tooMany) {
        int min = 0;
        int max = 0;
        for (PositionalParamSpec p : spec.positionalParameters()) {
            min += p.arity().min();
            // a list ("COMMAND [ARG...]") takes any number, whatever arity picocli gives each of its positions
            max = p.arity().max() == Integer.MAX_VALUE || max == Integer.MAX_VALUE || p.isMultiValue() ? Integer.MAX_VALUE
                    : max + p.arity().max();
        }
        String who = "'" + spec.qualifiedName() + "' ";
        if (spec.userObject() instanceof RangeOfArguments && max != Integer.MAX_VALUE && min != max) {
            // cobra's RequiresRangeArgs
            return who + "requires at least " + min + " and at most " + max + " argument" + (max == 1 ? "" : "s");
        }
        if (min == max) {
            return who + "requires " + min + " argument" + (min == 1 ? "" : "s");
        }
        if (tooMany) {
            return who + "requires at most " + max + " argument" + (max == 1 ? "" : "s");
        }
        return who + "requires at least " + min + " argument" + (min == 1 ? "" : "s");
    }

    /** "berth history [OPTIONS] IMAGE", as docker's usage lines read. */
    static String usageLine(CommandSpec spec) {
        String[] custom = spec.usageMessage().customSynopsis();
        if (custom != null && custom.length > 0) {
            // several forms, as docker's "Usage:" shows them: one a line after a tab
            return String.join("\n\t", custom);
        }
        StringBuilder line = new StringBuilder(spec.qualifiedName());
        boolean options = false;
        for (ArgSpec a : spec.options()) {
            if (!a.hidden() && !((CommandLine.Model.OptionSpec) a).usageHelp()) {
                options = true;
            }
        }
        if (options) {
            line.append(" [OPTIONS]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = p.paramLabel();
            if (p.arity().min() == 0) {
                line.append(" [").append(label).append(']');
            } else if (p.arity().max() > 1) {
                line.append(' ').append(label).append(" [").append(label).append("...]");
            } else {
                line.append(' ').append(label);
            }
        }
        return line.toString();
    }

    /**
     * pflag's words for a value its type refuses: {@code invalid argument "x" for "-t, --timeout"
     * flag: strconv.ParseInt: parsing "x": invalid syntax}; null for other errors.
     */
    private static String badValue(CommandLine.ParameterException e) {
        if (!(e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) || e.getValue() == null
                || e.getCause() == null) {
            return null;
        }
        String value = e.getValue();
        Class<?> type = option.type();
        String reason;
        if (e.getCause() instanceof CommandLine.TypeConversionException t && t.getMessage() != null
                && !t.getMessage().contains("is not a")) {
            reason = t.getMessage();
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            reason = "strconv.ParseInt: parsing \"" + value + "\": " + (value.matches("[-+]?[0-9]+") ? "value out of range"
                    : "invalid syntax");
        } else if (type == boolean.class || type == Boolean.class) {
            reason = "strconv.ParseBool: parsing \"" + value + "\": invalid syntax";
        } else {
            return null;
        }
        String names = option.names().length > 1 ? option.shortestName() + ", " + option.longestName() : option.longestName();
        return "invalid argument \"" + value + "\" for \"" + names + "\" flag: " + reason;
    }
}
