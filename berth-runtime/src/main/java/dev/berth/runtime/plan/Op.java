package dev.berth.runtime.plan;

/**
 * The op codes berth-init executes; keep in step with the enum in src/main/c/berth-init.c.
 * Each op's fields are listed in the C file next to its code.
 */
public enum Op {
    JOIN_NS(1), CLONE(2), UID_MAP(3), GID_MAP(4),
    UNSHARE(10), JOIN_NS_LATE(11), ROOT_PROPAGATION(12), BIND_ROOTFS(13), MOUNT(14),
    MKNOD(15), BIND_DEV(16), SYMLINK(17), HOOK(18), PIVOT(19), HOSTNAME(20), DOMAINNAME(21),
    WRITE_FILE(22), READONLY(23), MASK(24), REMOUNT_ROOT_RO(25), FIFO_DIR(26), CONSOLE(27),
    READY(28), RLIMIT(29), UMASK(30), KEYRING(31), NO_NEW_PRIVS(32), CAP_BOUNDING(33), USER(34),
    CAPS(35), SECCOMP(36), CHDIR(37), PERSONALITY(38), CLOSE_FDS(39), EXEC(40), SETSID(41),
    OOM_SCORE(42), PARENT_DEATH(43), CHECK_EXEC(44), MKDIR_IN_ROOT(45), MKFIFO(46), CONNECT_CONSOLE(47), CONSOLE_RELAY(48),
    RUNTIME_HOOKS(49),
    /** Stage 0: a detached copy of a bind source, opened before the user namespace exists; OP_MOUNT source "fd:N". */
    OPEN_TREE(60),
    // the process joins its cgroups itself
    CGROUP_JOIN(70), CLONE_INTO_CGROUP(71);

    final int code;

    Op(int code) {
        this.code = code;
    }
}
