package dev.berth.oci.runtime;

import java.util.List;

/**
 * The mount options berth recognizes in mounts[].options (config.md "Linux mount options"),
 * sorted, the same set runc 1.1 reports in {@code features}. Options not listed here are passed
 * to the filesystem as data (e.g. {@code mode=755}, {@code size=65536k}).
 */
public final class MountOptionNames {
    public static final List<String> KNOWN = List.of(
            "acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
            "iversion", "lazytime", "loud", "mand", "noacl", "noatime", "nodev", "nodiratime",
            "noexec", "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
            "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount",
            "rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime", "rnostrictatime",
            "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw", "rshared",
            "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared", "silent",
            "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable");

    private MountOptionNames() {}
}
