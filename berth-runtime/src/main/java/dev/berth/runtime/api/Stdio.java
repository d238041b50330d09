package dev.berth.runtime.api;

/**
 * The fds a container's init gets as its stdin, stdout and stderr when the runtime is used as a
 * library (berthd: pipes to its log writer, /dev/null for a closed stdin). {@link #INHERIT}
 * passes on the caller's own 0, 1 and 2, as the CLI does. The caller keeps ownership of the fds
 * and closes its copies once the launch returned.
 */
public record Stdio(int in, int out, int err) {
    public static final Stdio INHERIT = new Stdio(-1, -1, -1);

    public Stdio {
        if (in < -1 || out < -1 || err < -1) {
            throw dev.berth.oci.BerthException.invalid("stdio fds must be -1 (inherit) or an open fd");
        }
    }

    public boolean inherits() {
        return in == -1 && out == -1 && err == -1;
    }
}
