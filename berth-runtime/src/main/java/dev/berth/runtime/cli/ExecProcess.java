package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.User;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds exec's process from the container's own process (config.json as at create) and the
 * command line, the way runc does: args replace the command; --cwd, --apparmor and
 * --process-label replace theirs; --env adds to the environment (a name given again replaces
 * the earlier value); --cap adds to the bounding, effective and permitted sets (not inheritable
 * or ambient, which would widen what the process passes on); --user replaces uid and, when
 * given, gid; --additional-gids adds groups; the terminal is on only with --tty.
 */
final class ExecProcess {
    private ExecProcess() {}

    /** The exec flags that shape the process; null or empty means "keep the container's". */
    record Overrides(List<String> args, String cwd, List<String> env, String user, List<String> additionalGids,
                     List<String> caps, boolean tty, Boolean noNewPrivileges, String apparmor, String processLabel) {}

    static Process merge(Process base, Overrides o) {
        if (o.args().isEmpty()) {
            throw BerthException.invalid("exec: a command is required after the container id (or use --process)");
        }
        Capabilities caps = base.capabilities();
        if (!o.caps().isEmpty()) {
            Capabilities have = caps == null ? new Capabilities(null, null, null, null, null) : caps;
            caps = new Capabilities(
                    addAll(have.bounding(), o.caps()),
                    addAll(have.effective(), o.caps()),
                    have.inheritable(),
                    addAll(have.permitted(), o.caps()),
                    have.ambient());
        }
        return new Process(
                o.tty(),
                base.consoleSize(),
                o.cwd() == null || o.cwd().isEmpty() ? base.cwd() : o.cwd(),
                mergeEnv(base.env(), o.env()),
                o.args(),
                null,
                base.rlimits(),
                o.apparmor() == null || o.apparmor().isEmpty() ? base.apparmorProfile() : o.apparmor(),
                caps,
                o.noNewPrivileges() == null ? base.noNewPrivileges() : o.noNewPrivileges(),
                base.oomScoreAdj(),
                o.processLabel() == null || o.processLabel().isEmpty() ? base.selinuxLabel() : o.processLabel(),
                user(base.user(), o.user(), o.additionalGids()));
    }

    /** Later entries win over earlier ones with the same name; order of first appearance is kept. */
    static List<String> mergeEnv(List<String> base, List<String> added) {
        List<String> out = new ArrayList<>(base);
        for (String entry : added) {
            String name = name(entry);
            boolean replaced = false;
            for (int i = 0; i < out.size(); i++) {
                if (name(out.get(i)).equals(name)) {
                    out.set(i, entry);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) {
                out.add(entry);
            }
        }
        return out;
    }

    private static String name(String envEntry) {
        int eq = envEntry.indexOf('=');
        return eq < 0 ? envEntry : envEntry.substring(0, eq);
    }

    private static List<String> addAll(List<String> have, List<String> add) {
        List<String> out = new ArrayList<>(have);
        for (String cap : add) {
            if (!out.contains(cap)) {
                out.add(cap);
            }
        }
        return out;
    }

    /** --user is uid[:gid], numbers only (names would need the container's /etc/passwd). */
    static User user(User base, String spec, List<String> additionalGids) {
        long uid = base == null ? 0 : base.uid();
        long gid = base == null ? 0 : base.gid();
        if (spec != null && !spec.isEmpty()) {
            int colon = spec.indexOf(':');
            String uidText = colon < 0 ? spec : spec.substring(0, colon);
            uid = id(uidText, "uid");
            if (colon >= 0) {
                gid = id(spec.substring(colon + 1), "gid");
            }
        }
        List<Long> groups = new ArrayList<>(base == null ? List.of() : base.additionalGids());
        for (String text : additionalGids) {
            long group = Long.parseLong(text); // checked as an integer by the flag parser
            if (group < 0) {
                throw BerthException.invalid("--additional-gids must be a positive number: " + group);
            }
            groups.add(group);
        }
        return new User(uid, gid, base == null ? null : base.umask(), groups, base == null ? null : base.username());
    }

    private static long id(String text, String what) {
        if (!FlagParser.isInteger(text, false) || Long.parseLong(text) > 0xFFFF_FFFFL) {
            throw BerthException.invalid("--user: " + what + " \"" + text + "\" is not a number in 0..4294967295");
        }
        return Long.parseLong(text);
    }
}
