package dev.berth.runtime.cli;

/** {@code features}: what this runtime supports, as runc's features JSON document. */
final class FeaturesCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("features", "print the features this runtime supports, as JSON", "",
                "Prints the supported OCI versions, hooks, mount options, namespaces, capabilities,\n"
                        + "cgroup and seccomp support as a JSON document (the runtime-spec features format).");
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("features", 0);
        String json = context.specSource().featuresJson();
        context.out().print(json.endsWith("\n") ? json : json + "\n");
        return 0;
    }
}
