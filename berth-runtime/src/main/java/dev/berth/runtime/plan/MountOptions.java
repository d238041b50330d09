package dev.berth.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a mount's options (config.md "Mounts", mount(8) words) into mount(2) flags, the
 * propagation change, the flags that need a bind remount, and the filesystem data string.
 */
public record MountOptions(long flags, long clearFlags, long propagation, String data, boolean bind, boolean recursive) {
    static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;

    /** Flags a bind mount only gets by a second, remounting mount(2) call. */
    static final long REMOUNT_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS
            | MS_DIRSYNC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW;

    private static final Map<String, Long> SET = Map.ofEntries(
            Map.entry("ro", MS_RDONLY), Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV),
            Map.entry("noexec", MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS), Map.entry("remount", MS_REMOUNT),
            Map.entry("mand", MS_MANDLOCK), Map.entry("dirsync", MS_DIRSYNC), Map.entry("noatime", MS_NOATIME),
            Map.entry("nodiratime", MS_NODIRATIME), Map.entry("relatime", MS_RELATIME),
            Map.entry("strictatime", MS_STRICTATIME), Map.entry("lazytime", MS_LAZYTIME),
            Map.entry("nosymfollow", MS_NOSYMFOLLOW), Map.entry("silent", MS_SILENT));
    private static final Map<String, Long> CLEAR = Map.ofEntries(
            Map.entry("rw", MS_RDONLY), Map.entry("suid", MS_NOSUID), Map.entry("dev", MS_NODEV),
            Map.entry("exec", MS_NOEXEC), Map.entry("async", MS_SYNCHRONOUS), Map.entry("nomand", MS_MANDLOCK),
            Map.entry("atime", MS_NOATIME), Map.entry("diratime", MS_NODIRATIME),
            Map.entry("norelatime", MS_RELATIME), Map.entry("nostrictatime", MS_STRICTATIME),
            Map.entry("nolazytime", MS_LAZYTIME), Map.entry("symfollow", MS_NOSYMFOLLOW),
            Map.entry("loud", MS_SILENT), Map.entry("defaults", 0L));
    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC, "shared", MS_SHARED,
            "rshared", MS_SHARED | MS_REC, "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    public static MountOptions parse(List<String> options) {
        long flags = 0;
        long clear = 0;
        long propagation = 0;
        boolean bind = false;
        boolean recursive = false;
        List<String> data = new ArrayList<>();
        for (String option : options) {
            // runc's recursive attributes (rro, rnosuid, ...): the plain flag on the top mount
            // here, the whole tree by recursiveAttributes.
            String o = option.length() > 2 && option.startsWith("r") && SET.containsKey(option.substring(1))
                    && !option.equals("relatime") && !option.equals("remount") ? option.substring(1) : option;
            if (o.equals("bind")) {
                bind = true;
            } else if (o.equals("rbind")) {
                bind = true;
                recursive = true;
            } else if (SET.containsKey(o)) {
                flags |= SET.get(o);
                clear &= ~SET.get(o);
            } else if (CLEAR.containsKey(o)) {
                flags &= ~CLEAR.get(o);
                clear |= CLEAR.get(o);
            } else if (PROPAGATION.containsKey(o)) {
                propagation = PROPAGATION.get(o);
            } else if (o.equals("tmpcopyup") || o.equals("idmap") || o.equals("ridmap") || o.equals("copy-symlink")) {
                // not supported yet; dropping them keeps the mount usable (documented)
            } else {
                data.add(option);
            }
        }
        return new MountOptions(flags, clear, propagation, String.join(",", data), bind, recursive);
    }

    /** mount_setattr(2) MOUNT_ATTR_* bits, in step with berth-init.c. */
    static final long MOUNT_ATTR_RDONLY = 0x1, MOUNT_ATTR_NOSUID = 0x2, MOUNT_ATTR_NODEV = 0x4,
            MOUNT_ATTR_NOEXEC = 0x8, MOUNT_ATTR_NOATIME = 0x10, MOUNT_ATTR_NODIRATIME = 0x80,
            MOUNT_ATTR_NOSYMFOLLOW = 0x200000;
    private static final Map<String, Long> RECURSIVE = Map.of(
            "rro", MOUNT_ATTR_RDONLY, "rnosuid", MOUNT_ATTR_NOSUID, "rnodev", MOUNT_ATTR_NODEV,
            "rnoexec", MOUNT_ATTR_NOEXEC, "rnoatime", MOUNT_ATTR_NOATIME, "rnodiratime", MOUNT_ATTR_NODIRATIME,
            "rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW);

    /**
     * The attributes that runc's recursive options (rro, rnosuid, ...) set on the whole mount
     * tree with mount_setattr(AT_RECURSIVE); the top mount gets the plain flag as well.
     */
    public static long recursiveAttributes(List<String> options) {
        long attrs = 0;
        for (String option : options) {
            attrs |= RECURSIVE.getOrDefault(option, 0L);
        }
        return attrs;
    }

    /** The propagation flags for linux.rootfsPropagation (e.g. "rslave"), 0 when empty. */
    public static long propagation(String word) {
        if (word == null || word.isEmpty()) {
            return 0;
        }
        Long p = PROPAGATION.get(word);
        if (p == null) {
            throw dev.berth.oci.BerthException.invalid("config.json: linux.rootfsPropagation: unknown propagation " + word);
        }
        return p;
    }
}
