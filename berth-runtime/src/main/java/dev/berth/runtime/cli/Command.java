package dev.berth.runtime.cli;

/** One verb of the command line: its help (which also declares its flags) and its action. */
interface Command {

    CommandHelp help();

    /** Runs the verb; the answer is the process exit status. */
    int run(Context context, ParsedArgs args);

    /** The exit status when the verb fails with a BerthException; runc's exec uses 255. */
    default int failureStatus() {
        return 1;
    }

    /** True for commands that take any flags without checking them (the unsupported ones). */
    default boolean acceptsAnyFlags() {
        return false;
    }
}
