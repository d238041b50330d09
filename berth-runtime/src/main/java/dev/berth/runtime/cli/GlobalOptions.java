package dev.berth.runtime.cli;

import java.nio.file.Path;

/** The flags given before the command name. log is null when errors go only to stderr. */
record GlobalOptions(Path root, String log, boolean jsonLog, boolean debug, boolean systemdCgroup, String rootless) {}
