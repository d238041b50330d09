package dev.berth.runtime.cli;

import java.util.List;

/** Renders help in urfave/cli's layout, which is what runc users and scripts know. */
final class HelpPrinter {
    private HelpPrinter() {}

    static final String APP_SUMMARY = "berth's OCI container runtime, command-line compatible with runc";

    static String command(CommandHelp help) {
        StringBuilder out = new StringBuilder(512);
        out.append("NAME:\n   ").append(Cli.NAME).append(' ').append(help.name()).append(" - ")
                .append(help.summary()).append("\n\nUSAGE:\n   ").append(Cli.NAME).append(' ').append(help.name());
        if (!help.flags().isEmpty()) {
            out.append(" [command options]");
        }
        if (!help.arguments().isEmpty()) {
            out.append(' ').append(help.arguments());
        }
        out.append('\n');
        if (!help.description().isEmpty()) {
            out.append("\nDESCRIPTION:\n   ").append(help.description()).append('\n');
        }
        if (!help.flags().isEmpty()) {
            out.append("\nOPTIONS:\n");
            flags(out, help.flags());
        }
        return out.toString();
    }

    static String app(List<CommandHelp> commands, List<Flag> globalFlags) {
        StringBuilder out = new StringBuilder(2048);
        out.append("NAME:\n   ").append(Cli.NAME).append(" - ").append(APP_SUMMARY).append("\n\n")
                .append("USAGE:\n   ").append(Cli.NAME).append(" [global options] command [command options] [arguments...]\n\n")
                .append("VERSION:\n   ").append(Cli.VERSION).append("\nspec: ").append(Cli.SPEC_VERSION).append("\n\n")
                .append("COMMANDS:\n");
        int width = 0;
        for (CommandHelp command : commands) {
            width = Math.max(width, command.name().length());
        }
        for (CommandHelp command : commands) {
            out.append("   ").append(command.name()).repeat(' ', width - command.name().length() + 2)
                    .append(command.summary()).append('\n');
        }
        out.append("   help, h").repeat(' ', Math.max(2, width - 7 + 2)).append("show the commands, or the help of one command\n");
        out.append("\nGLOBAL OPTIONS:\n");
        flags(out, globalFlags);
        return out.toString();
    }

    private static void flags(StringBuilder out, List<Flag> flags) {
        String[] names = new String[flags.size()];
        int width = 0;
        for (int i = 0; i < names.length; i++) {
            names[i] = flagNames(flags.get(i));
            width = Math.max(width, names[i].length());
        }
        for (int i = 0; i < names.length; i++) {
            Flag flag = flags.get(i);
            out.append("   ").append(names[i]).repeat(' ', width - names[i].length() + 2).append(flag.usage());
            if (flag.defaultText() != null) {
                out.append(" (default: ").append(flag.defaultText()).append(')');
            }
            out.append('\n');
        }
    }

    /** {@code --bundle value, -b value} or {@code --all, -a}. */
    private static String flagNames(Flag flag) {
        String value = flag.takesValue() ? " value" : "";
        String names = "--" + flag.name() + value;
        if (flag.alias() != null) {
            names += (flag.alias().length() == 1 ? ", -" : ", --") + flag.alias() + value;
        }
        return names;
    }
}
