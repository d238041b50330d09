package dev.berth.engine.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of a {@code --tmpfs /path:opts} mount as dockerd makes them: its defaults
 * {@code noexec,nosuid,nodev,rprivate}, then the user's, a later option replacing an earlier
 * one it contradicts ({@code exec} drops {@code noexec}, {@code size=} replaces {@code size=}),
 * as moby's MergeTmpfsOptions does.
 */
public final class TmpfsOptions {
    private static final List<String> DEFAULTS = List.of("noexec", "nosuid", "nodev", "rprivate");
    private static final Map<String, String> OPPOSITES = Map.ofEntries(
            Map.entry("exec", "noexec"), Map.entry("noexec", "exec"),
            Map.entry("suid", "nosuid"), Map.entry("nosuid", "suid"),
            Map.entry("dev", "nodev"), Map.entry("nodev", "dev"),
            Map.entry("rw", "ro"), Map.entry("ro", "rw"),
            Map.entry("atime", "noatime"), Map.entry("noatime", "atime"),
            Map.entry("diratime", "nodiratime"), Map.entry("nodiratime", "diratime"),
            Map.entry("strictatime", "relatime"), Map.entry("relatime", "strictatime"));
    private static final List<String> PROPAGATION = List.of("private", "rprivate", "shared", "rshared", "slave", "rslave");

    private TmpfsOptions() {}

    public static List<String> merge(String user) {
        List<String> out = new ArrayList<>(DEFAULTS);
        if (user == null || user.isEmpty()) {
            return out;
        }
        for (String opt : user.split(",")) {
            if (opt.isEmpty()) {
                continue;
            }
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String opposite = OPPOSITES.get(opt);
            out.removeIf(o -> o.equals(opt) || o.equals(opposite)
                    || (eq >= 0 && o.startsWith(key + "="))
                    || (PROPAGATION.contains(opt) && PROPAGATION.contains(o)));
            out.add(opt);
        }
        return out;
    }
}
