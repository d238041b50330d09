package dev.berth.engine.spec;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's {@code --user}: {@code uid}, {@code uid:gid}, {@code name}, {@code name:group}
 * (any side a name or a number), resolved against the image's {@code /etc/passwd} and
 * {@code /etc/group} the way runc's libcontainer/user does: a name must exist; a number need
 * not; the user's supplementary groups are the groups that list its name.
 */
public final class UserResolver {
    private UserResolver() {}

    record PasswdEntry(String name, long uid, long gid) {}

    record GroupEntry(String name, long gid, List<String> members) {}

    /** Reads the files from {@code rootfs} (never following a symlink out of it: the paths are read as given inside the mounted root). */
    public static User resolve(String spec, Path rootfs) {
        List<PasswdEntry> passwd = readPasswd(rootfs.resolve("etc/passwd"));
        List<GroupEntry> groups = readGroups(rootfs.resolve("etc/group"));
        return resolve(spec, passwd, groups);
    }

    static User resolve(String spec, List<PasswdEntry> passwd, List<GroupEntry> groups) {
        String userPart = spec == null || spec.isEmpty() ? "0" : spec;
        String groupPart = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            groupPart = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
        }
        long uid;
        long gid = 0;
        String name = null;
        PasswdEntry found = null;
        for (PasswdEntry p : passwd) {
            if (p.name().equals(userPart) || isNumber(userPart) && p.uid() == Long.parseLong(userPart)) {
                found = p;
                break;
            }
        }
        if (found != null) {
            uid = found.uid();
            gid = found.gid();
            name = found.name();
        } else if (isNumber(userPart)) {
            uid = Long.parseLong(userPart);
        } else {
            throw BerthException.invalid("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        List<Long> additional = new ArrayList<>();
        if (groupPart != null && !groupPart.isEmpty()) {
            GroupEntry g = null;
            for (GroupEntry e : groups) {
                if (e.name().equals(groupPart) || isNumber(groupPart) && e.gid() == Long.parseLong(groupPart)) {
                    g = e;
                    break;
                }
            }
            if (g != null) {
                gid = g.gid();
            } else if (isNumber(groupPart)) {
                gid = Long.parseLong(groupPart);
            } else {
                throw BerthException.invalid("unable to find group " + groupPart + ": no matching entries in group file");
            }
        } else if (name != null) {
            // supplementary groups only when the primary group came from passwd, as runc does
            for (GroupEntry e : groups) {
                if (e.members().contains(name) && e.gid() != gid && !additional.contains(e.gid())) {
                    additional.add(e.gid());
                }
            }
        }
        // dockerd (20.10+) puts the primary group first among the supplementary ones: `id` shows groups=0(root)
        additional.addFirst(gid);
        return new User(uid, gid, null, additional, null);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static List<PasswdEntry> readPasswd(Path file) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String[] f : fields(file)) {
            if (f.length >= 4 && isNumber(f[2]) && isNumber(f[3])) {
                out.add(new PasswdEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
        }
        return out;
    }

    static List<GroupEntry> readGroups(Path file) {
        List<GroupEntry> out = new ArrayList<>();
        for (String[] f : fields(file)) {
            if (f.length >= 3 && isNumber(f[2])) {
                List<String> members = f.length >= 4 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
                out.add(new GroupEntry(f[0], Long.parseLong(f[2]), members));
            }
        }
        return out;
    }

    private static List<String[]> fields(Path file) {
        List<String[]> out = new ArrayList<>();
        try {
            if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
                return out; // a symlinked passwd could point at the host's: treat as absent
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t.split(":", -1));
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException | java.io.UncheckedIOException e) {
            return out;
        }
        return out;
    }
}
