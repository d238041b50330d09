package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;

/**
 * OCI / libseccomp action names → the 32-bit value a filter returns (SECCOMP_RET_* of
 * {@code linux/seccomp.h}, Documentation/userspace-api/seccomp_filter.rst "Return values").
 * The low 16 bits carry the errno for ERRNO and the tracer's message for TRACE.
 */
final class SeccompActions {
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_KILL_THREAD = 0x00000000;
    static final int RET_TRAP = 0x00030000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_USER_NOTIF = 0x7fc00000;
    static final int RET_TRACE = 0x7ff00000;
    static final int RET_LOG = 0x7ffc0000;
    static final int RET_ALLOW = 0x7fff0000;

    static final int EPERM = 1;
    static final int ENOSYS = 38;

    private SeccompActions() {}

    /**
     * Encodes {@code action} with its optional errno. As in runc, ERRNO and TRACE default to EPERM;
     * an errno on any other action is an error (config-linux.md: "When the action doesn't support
     * an errno, the runtime MUST print an error and fail").
     *
     * @param field the spec field that holds the action, for error messages
     */
    static int encode(String action, Integer errnoRet, String field) {
        if (action == null) {
            throw BerthException.invalid(field + " is required");
        }
        int base = switch (action) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO;
            case "SCMP_ACT_TRACE" -> RET_TRACE;
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            case "SCMP_ACT_LOG" -> RET_LOG;
            case "SCMP_ACT_NOTIFY" -> RET_USER_NOTIF;
            default -> throw BerthException.invalid(field + " \"" + action + "\" is unknown");
        };
        boolean takesErrno = base == RET_ERRNO || base == RET_TRACE;
        if (!takesErrno) {
            if (errnoRet != null) {
                throw BerthException.invalid(field + " " + action + " takes no errnoRet, got " + errnoRet);
            }
            return base;
        }
        int errno = errnoRet == null ? EPERM : errnoRet;
        if (errno < 0 || errno > 0xffff) {
            throw BerthException.invalid("errnoRet of " + field + " must be within 0..65535, got " + errno);
        }
        return base | errno;
    }
}
