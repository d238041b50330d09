package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --security-opt}: {@code key=value} or {@code key:value}, and {@code no-new-privileges}
 * alone. A seccomp profile given as a file is read by the CLI and sent as
 * {@code seccomp=<compact JSON>}, as docker does; {@code unconfined} and {@code builtin} stay names.
 */
final class SecurityOpts {
    private SecurityOpts() {}

    static List<String> parse(List<String> options) {
        List<String> out = new ArrayList<>();
        for (String opt : options) {
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            if (eq < 0 && !key.equals("no-new-privileges")) {
                int colon = opt.indexOf(':');
                key = colon < 0 ? opt : opt.substring(0, colon);
                value = colon < 0 ? null : opt.substring(colon + 1);
            }
            if ((value == null || value.isEmpty()) && !key.equals("no-new-privileges")) {
                throw new RunException("Invalid --security-opt: " + GoValues.quote(opt));
            }
            if (key.equals("seccomp") && !value.equals("unconfined") && !value.equals("builtin")) {
                String profile;
                try {
                    profile = java.nio.file.Files.readString(java.nio.file.Path.of(value));
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new RunException("opening seccomp profile (" + value + ") failed: open " + value
                            + ": no such file or directory");
                } catch (java.io.IOException e) {
                    throw new RunException("opening seccomp profile (" + value + ") failed: " + e.getMessage());
                }
                try {
                    out.add("seccomp=" + CreateBody.compact(profile));
                } catch (RuntimeException e) {
                    throw new RunException("compacting json for seccomp profile (" + value + ") failed: "
                            + e.getMessage());
                }
                continue;
            }
            out.add(opt);
        }
        return out;
    }
}
