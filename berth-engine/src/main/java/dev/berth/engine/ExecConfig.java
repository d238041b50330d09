package dev.berth.engine;

import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Objects;

/**
 * {@code POST /containers/{id}/exec}'s body, the part berth honours: Cmd, Env, User,
 * WorkingDir, AttachStdin, Tty, Privileged. An empty user or working dir means the container's.
 */
public record ExecConfig(List<String> cmd, List<String> env, String user, String workingDir, boolean attachStdin,
                         boolean tty, boolean privileged) {
    public ExecConfig {
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        user = Objects.requireNonNullElse(user, "");
        workingDir = Objects.requireNonNullElse(workingDir, "");
        if (cmd.isEmpty()) {
            throw BerthException.invalid("No exec command specified");
        }
    }

    public static ExecConfig of(List<String> cmd) {
        return new ExecConfig(cmd, List.of(), "", "", false, false, false);
    }
}
