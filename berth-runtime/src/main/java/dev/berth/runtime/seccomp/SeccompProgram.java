package dev.berth.runtime.seccomp;

import java.util.List;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param filter the {@code struct sock_filter} array, 8 little-endian bytes per instruction
 *     ({@code u16 code; u8 jt; u8 jf; u32 k})
 * @param instructionCount {@code filter.length / 8}, the {@code sock_fprog.len}
 * @param flags OR of the SECCOMP_FILTER_FLAG_* named in {@code linux.seccomp.flags}; the loader adds
 *     SECCOMP_FILTER_FLAG_NEW_LISTENER itself if it accepts a program that {@link #usesNotify()}
 * @param usesNotify whether some path returns SECCOMP_RET_USER_NOTIF, so loading needs a listener
 * @param skippedSyscalls names in the spec that no arch of the filter knows, sorted; they were
 *     left out (Docker's profile lists syscalls newer or other than these tables)
 */
public record SeccompProgram(
        byte[] filter, int instructionCount, int flags, boolean usesNotify, List<String> skippedSyscalls) {

    public static final int FLAG_TSYNC = 1;
    public static final int FLAG_LOG = 2;
    public static final int FLAG_SPEC_ALLOW = 4;

    public SeccompProgram {
        filter = filter.clone();
        skippedSyscalls = List.copyOf(skippedSyscalls);
    }

    /** A copy of the instructions. */
    @Override
    public byte[] filter() {
        return filter.clone();
    }
}
