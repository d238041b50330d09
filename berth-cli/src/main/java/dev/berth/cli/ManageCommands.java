package dev.berth.cli;

import dev.berth.cli.commands.container.CommitCommand;
import dev.berth.cli.commands.cp.CpCommand;
import dev.berth.cli.commands.container.ContainerInspectCommand;
import dev.berth.cli.commands.container.ContainerPruneCommand;
import dev.berth.cli.commands.container.DiffCommand;
import dev.berth.cli.commands.container.ExportCommand;
import dev.berth.cli.commands.container.KillCommand;
import dev.berth.cli.commands.container.PauseCommand;
import dev.berth.cli.commands.container.PortCommand;
import dev.berth.cli.commands.container.PsCommand;
import dev.berth.cli.commands.container.RenameCommand;
import dev.berth.cli.commands.container.RestartCommand;
import dev.berth.cli.commands.container.RmCommand;
import dev.berth.cli.commands.container.StatsCommand;
import dev.berth.cli.commands.container.StopCommand;
import dev.berth.cli.commands.container.TopCommand;
import dev.berth.cli.commands.container.UnpauseCommand;
import dev.berth.cli.commands.container.UpdateCommand;
import dev.berth.cli.commands.network.NetworkConnectCommand;
import dev.berth.cli.commands.network.NetworkCreateCommand;
import dev.berth.cli.commands.network.NetworkDisconnectCommand;
import dev.berth.cli.commands.network.NetworkInspectCommand;
import dev.berth.cli.commands.network.NetworkLsCommand;
import dev.berth.cli.commands.network.NetworkPruneCommand;
import dev.berth.cli.commands.network.NetworkRmCommand;
import dev.berth.cli.commands.volume.VolumeCreateCommand;
import dev.berth.cli.commands.volume.VolumeInspectCommand;
import dev.berth.cli.commands.volume.VolumeLsCommand;
import dev.berth.cli.commands.volume.VolumePruneCommand;
import dev.berth.cli.commands.volume.VolumeRmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The container and volume management commands, top-level as docker has them ({@code berth stop})
 * and under {@code berth container …} / {@code berth volume …}. The container group is shared with
 * the run/exec commands: whoever registers first makes it, the other adds to it.
 */
final class ManageCommands {
    private ManageCommands() {}

    @Command(name = "container", description = "Manage containers")
    static final class ContainerGroup extends Groups.Group {}

    @Command(name = "volume", description = "Manage volumes")
    static final class VolumeGroup extends Groups.Group {}

    @Command(name = "network", description = "Manage networks")
    static final class NetworkGroup extends Groups.Group {}

    static void register(CommandLine root, Cli cli) {
        CommandLine container = root.getSubcommands().get("container");
        if (container == null) {
            container = new CommandLine(new ContainerGroup());
            root.addSubcommand("container", container);
        }
        both(root, container, "commit", () -> new CommitCommand(cli));
        both(root, container, "cp", () -> new CpCommand(cli));
        both(root, container, "diff", () -> new DiffCommand(cli));
        both(root, container, "export", () -> new ExportCommand(cli));
        both(root, container, "kill", () -> new KillCommand(cli));
        both(root, container, "pause", () -> new PauseCommand(cli));
        both(root, container, "port", () -> new PortCommand(cli));
        both(root, container, "rename", () -> new RenameCommand(cli));
        both(root, container, "restart", () -> new RestartCommand(cli));
        both(root, container, "stats", () -> new StatsCommand(cli));
        both(root, container, "stop", () -> new StopCommand(cli));
        both(root, container, "unpause", () -> new UnpauseCommand(cli));
        both(root, container, "update", () -> new UpdateCommand(cli));
        root.addSubcommand("top", top(cli));
        container.addSubcommand("top", top(cli));
        root.addSubcommand("ps", new CommandLine(new PsCommand(cli)).setCommandName("ps"));
        container.addSubcommand("ls", new CommandLine(new PsCommand(cli)).setCommandName("ls"), "ps", "list");
        root.addSubcommand("rm", new CommandLine(new RmCommand(cli)).setCommandName("rm"));
        container.addSubcommand("rm", new CommandLine(new RmCommand(cli)).setCommandName("rm"), "remove");
        container.addSubcommand("inspect", new ContainerInspectCommand(cli));
        container.addSubcommand("prune", new ContainerPruneCommand(cli));

        CommandLine volume = new CommandLine(new VolumeGroup());
        volume.addSubcommand("create", new VolumeCreateCommand(cli));
        volume.addSubcommand("inspect", new VolumeInspectCommand(cli));
        volume.addSubcommand("ls", new CommandLine(new VolumeLsCommand(cli)).setCommandName("ls"), "list");
        volume.addSubcommand("prune", new VolumePruneCommand(cli));
        volume.addSubcommand("rm", new CommandLine(new VolumeRmCommand(cli)).setCommandName("rm"), "remove");
        root.addSubcommand("volume", volume);

        CommandLine network = new CommandLine(new NetworkGroup());
        network.addSubcommand("connect", new NetworkConnectCommand(cli));
        network.addSubcommand("create", new NetworkCreateCommand(cli));
        network.addSubcommand("disconnect", new NetworkDisconnectCommand(cli));
        network.addSubcommand("inspect", new NetworkInspectCommand(cli));
        network.addSubcommand("ls", new CommandLine(new NetworkLsCommand(cli)).setCommandName("ls"), "list");
        network.addSubcommand("prune", new NetworkPruneCommand(cli));
        network.addSubcommand("rm", new CommandLine(new NetworkRmCommand(cli)).setCommandName("rm"), "remove");
        root.addSubcommand("network", network);
    }

    private static void both(CommandLine root, CommandLine group, String name, java.util.function.Supplier<Object> command) {
        root.addSubcommand(name, command.get());
        group.addSubcommand(name, command.get());
    }

    /** ps's options come after the container and go to ps untouched (cobra's SetInterspersed(false)). */
    private static CommandLine top(Cli cli) {
        CommandLine top = new CommandLine(new TopCommand(cli));
        top.setStopAtPositional(true);
        top.setUnmatchedOptionsArePositionalParams(true);
        return top;
    }
}
