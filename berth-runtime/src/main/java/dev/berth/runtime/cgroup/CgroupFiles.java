package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reading and writing cgroup files in the kernel's formats, with errors that name the file. */
final class CgroupFiles {
    private final CgroupFs fs;

    CgroupFiles(CgroupFs fs) {
        this.fs = fs;
    }

    CgroupFs fs() {
        return fs;
    }

    void write(Path dir, String file, String value) {
        fs.write(dir.resolve(file), value);
    }

    void write(Path dir, String file, long value) {
        fs.write(dir.resolve(file), Long.toString(value));
    }

    boolean exists(Path dir, String file) {
        return fs.exists(dir.resolve(file));
    }

    String read(Path dir, String file) {
        return fs.read(dir.resolve(file)).trim();
    }

    /** A single-number file; "max" reads as {@code max}. Absent file: empty. */
    Optional<Long> readLong(Path dir, String file, long max) {
        Path path = dir.resolve(file);
        if (!fs.exists(path)) {
            return Optional.empty();
        }
        return Optional.of(parseLong(path, fs.read(path).trim(), max));
    }

    /** A flat keyed file ("key value" per line) such as memory.stat or cpu.stat; absent file: empty map. */
    Map<String, Long> readKeyed(Path dir, String file) {
        Map<String, Long> values = new HashMap<>();
        Path path = dir.resolve(file);
        if (!fs.exists(path)) {
            return values;
        }
        for (String line : fs.read(path).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                values.put(kv[0], parseLong(path, kv[1], Long.MAX_VALUE));
            }
        }
        return values;
    }

    static long parseLong(Path path, String text, long max) {
        if (text.equals("max")) {
            return max;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                // Counters are u64 in the kernel; clamp the (theoretical) top half.
                return Long.parseUnsignedLong(text) < 0 ? Long.MAX_VALUE : Long.parseUnsignedLong(text);
            } catch (NumberFormatException again) {
                throw BerthException.internal("cannot parse \"" + text + "\" in " + path, e);
            }
        }
    }
}
