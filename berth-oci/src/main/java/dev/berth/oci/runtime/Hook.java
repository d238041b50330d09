package dev.berth.oci.runtime;

import java.util.List;

/** One hook: an absolute path, argv (args[0] included), env, and an optional timeout in seconds. */
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    public Hook {
        args = List.copyOf(args == null ? List.of() : args);
        env = List.copyOf(env == null ? List.of() : env);
    }
}
