package dev.berth.runtime.cli;

import dev.berth.runtime.api.CreateOptions;
import java.util.Optional;

/** The flags create and run share, and how they become {@link CreateOptions}. */
final class CreateFlags {
    private CreateFlags() {}

    static final String ID_USAGE = "<container-id>\n\n"
            + "<container-id> names the new container; it must be unique under the --root directory.";

    static final Flag BUNDLE = Flag.string("bundle", "b", "the bundle directory (holding config.json and usually rootfs); the current directory when not given");
    static final Flag CONSOLE_SOCKET = Flag.string("console-socket", null, "AF_UNIX socket that receives the master end of the container's pseudo-terminal");
    static final Flag PID_FILE = Flag.string("pid-file", null, "file to write the container's init pid to");
    static final Flag NO_PIVOT = Flag.bool("no-pivot", null, "enter the rootfs with chroot-like MS_MOVE instead of pivot_root (for rootfs on a ramdisk)");
    static final Flag NO_NEW_KEYRING = Flag.bool("no-new-keyring", null, "keep the caller's session keyring instead of giving the container a new one");
    static final Flag PRESERVE_FDS = Flag.integer("preserve-fds", "pass N more file descriptors, from fd 3 on, to the container", "0");

    static CreateOptions options(Context context, ParsedArgs args) {
        String id = args.positional(0);
        String bundle = args.stringOrEmpty("bundle");
        long preserveFds = args.integer("preserve-fds", 0);
        if (preserveFds > Integer.MAX_VALUE) {
            throw dev.berth.oci.BerthException.invalid("--preserve-fds is too large: " + preserveFds);
        }
        return new CreateOptions(
                id,
                bundle.isEmpty() ? context.workingDirectory() : context.resolve(bundle),
                path(context, args, "pid-file"),
                path(context, args, "console-socket"),
                args.bool("no-pivot"),
                args.bool("no-new-keyring"),
                (int) preserveFds);
    }

    /** An absolute path for a path flag, or empty when the flag is unset or empty. */
    static Optional<java.nio.file.Path> path(Context context, ParsedArgs args, String flag) {
        String value = args.stringOrEmpty(flag);
        return value.isEmpty() ? Optional.empty() : Optional.of(context.resolve(value));
    }
}
