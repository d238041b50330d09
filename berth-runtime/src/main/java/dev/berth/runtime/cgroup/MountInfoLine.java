package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one /proc/self/mountinfo line that cgroup detection needs.
 *
 * @see <a href="https://man7.org/linux/man-pages/man5/proc_pid_mountinfo.5.html">proc_pid_mountinfo(5)</a>
 */
record MountInfoLine(String root, Path mountPoint, String fsType, String superOptions) {

    static List<MountInfoLine> parseAll(String mountinfo) {
        List<MountInfoLine> lines = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.trim().split(" ");
            // id parent maj:min root mountpoint options [optional fields...] - fstype source superoptions
            int dash = List.of(f).indexOf("-");
            if (dash < 6 || f.length < dash + 4) {
                continue;
            }
            lines.add(new MountInfoLine(unescape(f[3]), Path.of(unescape(f[4])), f[dash + 1], f[dash + 3]));
        }
        return lines;
    }

    /** The kernel writes space, tab, newline and backslash in paths as octal escapes (\040). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
