package dev.berth.image.layer;

import java.util.Map;

/** The attributes a tar header gives an entry, in the units the syscalls take. */
record EntryMeta(int mode, int uid, int gid, long mtimeSeconds, long mtimeNanos,
                 long atimeSeconds, long atimeNanos, Map<String, byte[]> xattrs) {
}
