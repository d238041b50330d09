/*
 * berth-init: executes a launch plan that Java prepared. No JSON, no policy.
 *
 * Why C at all: a multi-threaded JVM cannot clone() into new namespaces and then run code
 * safely; the few steps between clone() and execve() happen here (DESIGN.md, decision 1).
 *
 * Invocation: berth-init <sync-fd>
 *   The sync fd is a unix socket to the Java side. Java writes one framed message holding
 *   the plan; every message in either direction is {u32 type, u32 len, payload[len]}.
 * Or: berth-init --exec PATH ARGV0 [ARGS...]
 *   execs PATH with the argv ARGV0 ARGS...: a hook's args[0] may differ from its path
 *   (dockerd's libnetwork-setkey hook is /proc/PID/exe named by argv[0]), which Java's
 *   ProcessBuilder cannot express.
 *
 * The plan is a list of ops, each {u32 op, u32 nfields, then per field {u32 len, bytes}}.
 * String fields carry their terminating NUL in len; numbers are u64 little-endian.
 * Stage 0 (this process) runs ops up to OP_CLONE, clones, writes id maps for the child,
 * reports the child's pid and exits. The child (the future container init, or an exec'd
 * process) waits for GO, then runs the remaining ops in order. Every failure is reported
 * as one ERROR message naming what failed, and the process exits 1.
 *
 * Error rule: every failing call goes through fail() with the call and its argument; the
 * message is lower-case and names the path.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Message types; keep in step with dev.berth.runtime.plan.SyncMessage. */
enum { MSG_PLAN = 1, MSG_PID = 2, MSG_GO = 3, MSG_READY = 4, MSG_START = 5, MSG_ERROR = 6, MSG_HOOKS = 7 };

/* Op codes; keep in step with dev.berth.runtime.plan.Op. */
enum {
    OP_JOIN_NS = 1,       /* path, nstype            stage 0, before clone */
    OP_CLONE = 2,         /* flags                   stage 0 */
    OP_UID_MAP = 3,       /* content                 stage 0, after clone */
    OP_GID_MAP = 4,       /* content, setgroups-deny stage 0, after clone */
    OP_UNSHARE = 10,      /* flags */
    OP_JOIN_NS_LATE = 11, /* path, nstype (cgroup ns, after the cgroup move) */
    OP_ROOT_PROPAGATION = 12, /* flags */
    OP_BIND_ROOTFS = 13,  /* path */
    OP_MOUNT = 14,        /* source, dest, fstype, flags, data, mkkind, remount-flags, propagation */
    OP_MKNOD = 15,        /* dest, mode, dev, uid, gid */
    OP_BIND_DEV = 16,     /* dest, host path */
    OP_SYMLINK = 17,      /* target, dest */
    OP_HOOK = 18,         /* path, timeout, argc, args..., env... */
    OP_PIVOT = 19,        /* no-pivot flag */
    OP_HOSTNAME = 20,     /* name */
    OP_DOMAINNAME = 21,   /* name */
    OP_WRITE_FILE = 22,   /* path, content (absolute, resolved in the current root) */
    OP_READONLY = 23,     /* path */
    OP_MASK = 24,         /* path */
    OP_REMOUNT_ROOT_RO = 25,
    OP_FIFO_DIR = 26,     /* path of the directory holding exec.fifo (opened before pivot) */
    OP_CONSOLE = 27,      /* socket fd, rows, cols */
    OP_READY = 28,        /* start mode: 0 = wait on the exec fifo, 1 = wait for START on sync */
    OP_RLIMIT = 29,       /* resource, soft, hard */
    OP_UMASK = 30,        /* mask */
    OP_KEYRING = 31,      /* name */
    OP_NO_NEW_PRIVS = 32,
    OP_CAP_BOUNDING = 33, /* mask of caps to keep */
    OP_USER = 34,         /* uid, gid, ngroups, groups... */
    OP_CAPS = 35,         /* effective, permitted, inheritable, ambient */
    OP_SECCOMP = 36,      /* flags, program bytes */
    OP_CHDIR = 37,        /* path [, mode: 0 strict, 1 try, 2 unless done] */
    OP_PERSONALITY = 38,  /* persona */
    OP_CLOSE_FDS = 39,    /* first fd to close on exec */
    OP_EXEC = 40,         /* path-or-name, argc, args..., env... */
    OP_SETSID = 41,
    OP_OOM_SCORE = 42,    /* value as a string */
    OP_PARENT_DEATH = 43, /* signal */
    OP_CHECK_EXEC = 44,   /* name, PATH: fail now, at create, if the program cannot be found */
    OP_MKDIR_IN_ROOT = 45, /* path (the cwd, created like runc does) */
    OP_MKFIFO = 46,       /* path, mode                stage 0, before clone */
    OP_CONNECT_CONSOLE = 47, /* socket path           stage 0, before clone */
    OP_CONSOLE_RELAY = 48, /* stage 0 relays our stdio to the container's pty (foreground run) */
    OP_RUNTIME_HOOKS = 49, /* HOOKS out, then wait for GO: the runtime runs prestart and
                              createRuntime hooks with the mounts made, before pivot_root */
    OP_OPEN_TREE = 60,    /* path, recursive          stage 0, before clone: a detached copy of
                              a bind source, opened with the host's rights; OP_MOUNT takes it
                              as source "fd:N", N counting these ops from 0 */
    OP_CGROUP_JOIN = 70,  /* tasks (v1) or cgroup.procs file: stage 0 opens it before joining
                             namespaces, the child writes "0" to it right after clone, before GO
                             (a v1 tasks write moving oneself takes no global lock) */
    OP_CLONE_INTO_CGROUP = 71, /* cgroup2 dir    stage 0, before clone: clone3(CLONE_INTO_CGROUP) */
};

#define MAX_FIELDS 4096

struct op {
    uint32_t code;
    uint32_t n;
    const char *field[MAX_FIELDS];
    uint32_t len[MAX_FIELDS];
};

static int sync_in = -1;  /* messages from Java */
static int sync_out = -1; /* messages to Java (the same socket in fd mode, a pipe in pipe mode) */
static int console_fd = -1; /* connected by OP_CONNECT_CONSOLE in stage 0 */
static int done_r = -1, done_w = -1; /* pipe mode: the child holds done_w until the runtime is done with it */
static int rootfs_fd = -1;
static int pivoted; /* set once the rootfs is / */
static int fifo_dir_fd = -1;
static char *hook_state = NULL;   /* state JSON for hooks, delivered with GO */
static uint32_t hook_state_len = 0;
static const char *rootfs_path = NULL;

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

static void send_msg(uint32_t type, const void *payload, uint32_t len) {
    uint32_t hdr[2] = {type, len};
    char buf[8 + 4096];
    if (len <= 4096) {
        /* one write, so that a message is never interleaved with another process's */
        memcpy(buf, hdr, 8);
        if (len) memcpy(buf + 8, payload, len);
        (void)write_all(sync_out, buf, 8 + len);
    } else {
        (void)write_all(sync_out, hdr, 8);
        (void)write_all(sync_out, payload, len);
    }
}

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...) {
    char msg[2048];
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = sizeof msg - 1;
    if (saved != 0 && (size_t)n + 2 < sizeof msg) {
        n += snprintf(msg + n, sizeof msg - (size_t)n, ": %s", strerror(saved));
        if ((size_t)n >= sizeof msg) n = sizeof msg - 1;
    }
    if (sync_out >= 0) {
        send_msg(MSG_ERROR, msg, (uint32_t)n);
    } else {
        fprintf(stderr, "berth-init: %s\n", msg);
    }
    _exit(1);
}

/* Reads one message of the expected type; the payload is malloc'd and NUL-terminated. */
static char *recv_msg(uint32_t want, uint32_t *len_out) {
    uint32_t hdr[2];
    if (read_all(sync_in, hdr, sizeof hdr) < 0) {
        errno = 0;
        /* The runtime went away: nothing to report to, just stop. */
        _exit(1);
    }
    char *payload = malloc((size_t)hdr[1] + 1);
    if (!payload) fail("out of memory");
    if (hdr[1] && read_all(sync_in, payload, hdr[1]) < 0) _exit(1);
    payload[hdr[1]] = 0;
    if (hdr[0] != want) {
        errno = 0;
        fail("protocol: expected message %u, got %u", want, hdr[0]);
    }
    if (len_out) *len_out = hdr[1];
    return payload;
}

static uint64_t u64(const struct op *o, uint32_t i) {
    uint64_t v = 0;
    if (i >= o->n || o->len[i] != 8) {
        errno = 0;
        fail("plan: op %u field %u is not a number", o->code, i);
    }
    memcpy(&v, o->field[i], 8);
    return v;
}

static const char *str(const struct op *o, uint32_t i) {
    if (i >= o->n || o->len[i] == 0 || o->field[i][o->len[i] - 1] != 0) {
        errno = 0;
        fail("plan: op %u field %u is not a string", o->code, i);
    }
    return o->field[i];
}

/* Decodes the op at *pos; returns 0 at the end of the plan. */
static int next_op(const char *plan, uint32_t plan_len, uint32_t *pos, struct op *o) {
    if (*pos >= plan_len) return 0;
    if (plan_len - *pos < 8) goto bad;
    memcpy(&o->code, plan + *pos, 4);
    memcpy(&o->n, plan + *pos + 4, 4);
    *pos += 8;
    if (o->n > MAX_FIELDS) goto bad;
    for (uint32_t i = 0; i < o->n; i++) {
        if (plan_len - *pos < 4) goto bad;
        memcpy(&o->len[i], plan + *pos, 4);
        *pos += 4;
        if (plan_len - *pos < o->len[i]) goto bad;
        o->field[i] = plan + *pos;
        *pos += o->len[i];
    }
    return 1;
bad:
    errno = 0;
    fail("plan: truncated at byte %u", *pos);
}

/* ---- paths inside the rootfs, resolved by the kernel so symlinks cannot escape ---- */

static int open_in_root(const char *rel, int flags) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)flags | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (*rel == '/') rel++;
    if (*rel == 0) rel = ".";
    return (int)syscall(SYS_openat2, rootfs_fd, rel, &how, sizeof how);
}

/* mkdir -p of rel inside the rootfs; the last component becomes a file when as_file. */
static void make_in_root(const char *rel, int as_file) {
    char buf[4096];
    size_t len = strlen(rel);
    if (len >= sizeof buf) {
        errno = ENAMETOOLONG;
        fail("mkdir %s", rel);
    }
    memcpy(buf, rel, len + 1);
    int dir = open_in_root("/", O_PATH | O_DIRECTORY);
    if (dir < 0) fail("open rootfs %s", rootfs_path);
    char *save = NULL;
    char *parts[512];
    int count = 0;
    for (char *t = strtok_r(buf, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (count == 512) {
            errno = ENAMETOOLONG;
            fail("mkdir %s", rel);
        }
        parts[count++] = t;
    }
    /* Walk component by component with openat2 from the previous directory, so that a
       symlink anywhere on the way is resolved inside the rootfs, never on the host. */
    char walked[4096] = "";
    for (int i = 0; i < count; i++) {
        size_t wl = strlen(walked);
        snprintf(walked + wl, sizeof walked - wl, "/%s", parts[i]);
        int last = i == count - 1;
        int fd = open_in_root(walked, O_PATH);
        if (fd >= 0) {
            close(fd);
            continue;
        }
        if (errno != ENOENT) fail("open %s in rootfs", walked);
        /* create it relative to the parent, itself resolved in the root */
        char parent[4096];
        snprintf(parent, sizeof parent, "%.*s", (int)wl, walked);
        int pfd = open_in_root(parent[0] ? parent : "/", O_PATH | O_DIRECTORY);
        if (pfd < 0) fail("open %s in rootfs", parent[0] ? parent : "/");
        if (last && as_file) {
            int f = openat(pfd, parts[i], O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
            if (f < 0 && errno != EEXIST) fail("create %s in rootfs", walked);
            if (f >= 0) close(f);
        } else if (mkdirat(pfd, parts[i], 0755) < 0 && errno != EEXIST) {
            fail("mkdir %s in rootfs", walked);
        }
        close(pfd);
    }
    close(dir);
}

#define MAX_TREES 256
static int tree_fds[MAX_TREES];
static int tree_count;

/* Stage 0, in the host's user namespace: runc opens bind sources before the user namespace
   exists, so that a source only the host's root may reach (mode 700 on the way) can still be
   mounted. A detached clone (open_tree) can be attached in the container's mount namespace. */
static void op_open_tree(const struct op *o) {
    const char *path = str(o, 0);
    if (tree_count == MAX_TREES) {
        errno = E2BIG;
        fail("open bind source %s", path);
    }
    unsigned flags = 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC | (u64(o, 1) ? 0x8000 /* AT_RECURSIVE */ : 0);
    int fd = (int)syscall(428 /* open_tree */, AT_FDCWD, path, flags);
    if (fd < 0) fail("open bind source %s", path);
    tree_fds[tree_count++] = fd;
}

/* The tree opened by the n-th OP_OPEN_TREE, for a source written "fd:n"; -1 for a path. */
static int tree_of(const char *source) {
    if (strncmp(source, "fd:", 3) != 0) return -1;
    char *end = NULL;
    long n = strtol(source + 3, &end, 10);
    if (*end || n < 0 || n >= tree_count) {
        errno = EINVAL;
        fail("plan: mount source %s names no opened tree", source);
    }
    return tree_fds[n];
}

static void proc_fd_path(char *out, size_t size, int fd) {
    snprintf(out, size, "/proc/self/fd/%d", fd);
}

/* ---- ops ---- */

static void op_mount(const struct op *o) {
    const char *source = str(o, 0);
    const char *dest = str(o, 1);
    const char *fstype = str(o, 2);
    unsigned long flags = (unsigned long)u64(o, 3);
    const char *data = str(o, 4);
    uint64_t mkkind = u64(o, 5); /* 0 = must exist, 1 = dir, 2 = file */
    unsigned long remount = (unsigned long)u64(o, 6);
    unsigned long propagation = (unsigned long)u64(o, 7);
    uint64_t recursive_attrs = o->n > 8 ? u64(o, 8) : 0; /* MOUNT_ATTR_* for the whole tree */

    if (mkkind) make_in_root(dest, mkkind == 2);
    int target = open_in_root(dest, O_PATH);
    if (target < 0) fail("mount %s: open destination %s in rootfs", source, dest);
    char tpath[64];
    proc_fd_path(tpath, sizeof tpath, target);
    int tree = tree_of(source);
    if (tree >= 0) {
        if (syscall(429 /* move_mount */, tree, "", target, "", 0x4 /* F_EMPTY_PATH */ | 0x40 /* T_EMPTY_PATH */) < 0) {
            fail("mount %s to %s (type bind)", source, dest);
        }
    } else if (mount(*source ? source : NULL, tpath, *fstype ? fstype : NULL, flags, *data ? data : NULL) < 0) {
        fail("mount %s to %s (type %s)", source, dest, *fstype ? fstype : "bind");
    }
    close(target);
    if (remount || propagation || recursive_attrs) {
        /* The new mount hides the old inode: reopen the destination to reach the mount. */
        target = open_in_root(dest, O_PATH);
        if (target < 0) fail("reopen %s in rootfs", dest);
        proc_fd_path(tpath, sizeof tpath, target);
        if (remount) {
            unsigned long rf = MS_BIND | MS_REMOUNT | remount;
            if (mount(NULL, tpath, NULL, rf, NULL) < 0) {
                /* Flags locked by a user namespace must be kept: add what the mount has. */
                struct statvfs sv;
                if (errno != EPERM || statvfs(tpath, &sv) < 0) fail("remount %s", dest);
                unsigned long locked = 0;
                if (sv.f_flag & ST_NOSUID) locked |= MS_NOSUID;
                if (sv.f_flag & ST_NODEV) locked |= MS_NODEV;
                if (sv.f_flag & ST_NOEXEC) locked |= MS_NOEXEC;
                if (sv.f_flag & ST_RDONLY) locked |= MS_RDONLY;
                if (mount(NULL, tpath, NULL, rf | locked, NULL) < 0) fail("remount %s", dest);
            }
        }
        if (propagation && mount(NULL, tpath, NULL, propagation, NULL) < 0) {
            fail("set propagation of %s", dest);
        }
        if (recursive_attrs) {
            struct mount_attr_v0 { uint64_t set, clr, propagation, userns_fd; } attr = { recursive_attrs, 0, 0, 0 };
            if (syscall(442 /* mount_setattr */, target, "", AT_EMPTY_PATH | 0x8000 /* AT_RECURSIVE */,
                        &attr, sizeof attr) < 0) {
                fail("set recursive attributes of %s", dest);
            }
        }
        close(target);
    }
}

static void op_mknod(const struct op *o) {
    const char *dest = str(o, 0);
    mode_t mode = (mode_t)u64(o, 1);
    dev_t dev = (dev_t)u64(o, 2);
    uid_t uid = (uid_t)u64(o, 3);
    gid_t gid = (gid_t)u64(o, 4);
    const char *slash = strrchr(dest, '/');
    char parent[4096];
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - dest) : 0, dest);
    if (parent[0]) make_in_root(parent, 0);
    int pfd = open_in_root(parent[0] ? parent : "/", O_PATH | O_DIRECTORY);
    if (pfd < 0) fail("open %s in rootfs", parent);
    const char *name = slash ? slash + 1 : dest;
    unlinkat(pfd, name, 0);
    if (mknodat(pfd, name, mode, dev) < 0) fail("mknod %s", dest);
    /* mknod honours the umask; the spec's fileMode must hold exactly */
    if (fchmodat(pfd, name, mode & 07777, 0) < 0) fail("chmod %s", dest);
    if (fchownat(pfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) fail("chown %s", dest);
    close(pfd);
}

static void op_bind_dev(const struct op *o) {
    const char *dest = str(o, 0);
    const char *host = str(o, 1);
    make_in_root(dest, 1);
    int target = open_in_root(dest, O_PATH);
    if (target < 0) fail("open %s in rootfs", dest);
    char tpath[64];
    proc_fd_path(tpath, sizeof tpath, target);
    if (mount(host, tpath, NULL, MS_BIND, NULL) < 0) fail("bind device %s", host);
    close(target);
}

static void op_symlink(const struct op *o) {
    const char *target = str(o, 0);
    const char *dest = str(o, 1);
    const char *slash = strrchr(dest, '/');
    char parent[4096];
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - dest) : 0, dest);
    int pfd = open_in_root(parent[0] ? parent : "/", O_PATH | O_DIRECTORY);
    if (pfd < 0) fail("open %s in rootfs", parent);
    if (symlinkat(target, pfd, slash ? slash + 1 : dest) < 0 && errno != EEXIST) {
        fail("symlink %s -> %s", dest, target);
    }
    close(pfd);
}

/* Runs a hook with the state on stdin; a timeout (seconds, 0 = none) kills it. */
static void op_hook(const struct op *o) {
    const char *path = str(o, 0);
    uint64_t timeout = u64(o, 1);
    uint64_t argc = u64(o, 2);
    if (3 + argc > o->n) {
        errno = 0;
        fail("plan: hook %s: bad argument count", path);
    }
    char **argv = calloc(argc + 1, sizeof *argv);
    char **envp = calloc(o->n - 3 - argc + 1, sizeof *envp);
    if (!argv || !envp) fail("out of memory");
    for (uint64_t i = 0; i < argc; i++) argv[i] = (char *)str(o, (uint32_t)(3 + i));
    for (uint32_t i = (uint32_t)(3 + argc), j = 0; i < o->n; i++, j++) envp[j] = (char *)str(o, i);
    int in[2];
    if (pipe2(in, O_CLOEXEC) < 0) fail("hook %s: pipe", path);
    pid_t pid = fork();
    if (pid < 0) fail("hook %s: fork", path);
    if (pid == 0) {
        dup2(in[0], 0);
        /* createContainer hooks, before pivot_root, run in the rootfs as runc's do */
        if (rootfs_fd >= 0 && !pivoted && fchdir(rootfs_fd) < 0) _exit(127);
        execve(path, argv, envp);
        _exit(127);
    }
    close(in[0]);
    if (hook_state_len) (void)write_all(in[1], hook_state, hook_state_len);
    close(in[1]);
    int status = 0;
    time_t deadline = timeout ? time(NULL) + (time_t)timeout : 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, timeout ? WNOHANG : 0);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) fail("hook %s: wait", path);
        if (timeout && time(NULL) >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            errno = 0;
            fail("hook %s: timed out after %llu seconds", path, (unsigned long long)timeout);
        }
        if (timeout) usleep(10000);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = 0;
        if (WIFEXITED(status)) fail("error running hook %s: exit status %d", path, WEXITSTATUS(status));
        /* runc's words: "signal: bad system call", lower case like Go's signal names */
        char name[64];
        snprintf(name, sizeof name, "%s", strsignal(WTERMSIG(status)));
        for (char *c = name; *c; c++) *c = (char)tolower((unsigned char)*c);
        fail("error running hook %s: signal: %s", path, name);
    }
    free(argv);
    free(envp);
}

/* Undoes mountinfo's octal escapes (\040 for a space, ...) in place. */
static void unescape_mountinfo(char *s) {
    char *out = s;
    for (char *in = s; *in; in++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' &&
            in[3] <= '7') {
            *out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
            in += 3;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
}

/* Whether a mountinfo mount point is the rootfs or below it; root is the rootfs's canonical path
   (mountinfo names mount points without symlinks, the config may reach the rootfs through one). */
static int under_rootfs(const char *path, const char *root) {
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/') n--;
    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * Before MS_MOVE + chroot (no pivot_root), the host's other mounts stay in our mount namespace.
 * The kernel lets a new mount of proc or sysfs through only if a full one is already visible
 * unmasked, and it looks at every mount of the namespace, also those outside the chroot: a
 * nested user namespace could mount a bare /proc. So every full (root "/") proc and sysfs mount
 * outside the rootfs is detached first (made a slave first, so the host keeps it), or covered
 * with a tmpfs when that is refused, as runc does.
 */
static void detach_host_proc_sys(void) {
    char link[64], root[4096];
    proc_fd_path(link, sizeof link, rootfs_fd);
    ssize_t rn = readlink(link, root, sizeof root - 1);
    if (rn < 0) fail("resolve rootfs %s", rootfs_path);
    root[rn] = '\0';
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f) fail("open /proc/self/mountinfo");
    char **points = NULL;
    size_t count = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        /* id parent major:minor root mountpoint options [optional...] - fstype source super */
        char *fields[5] = {0};
        char *save = NULL;
        char *tok = strtok_r(line, " \n", &save);
        int i = 0;
        for (; tok && i < 5; i++, tok = strtok_r(NULL, " \n", &save)) fields[i] = tok;
        while (tok && strcmp(tok, "-") != 0) tok = strtok_r(NULL, " \n", &save);
        char *fstype = tok ? strtok_r(NULL, " \n", &save) : NULL;
        if (i < 5 || !fstype) continue;
        if (strcmp(fields[3], "/") != 0) continue;
        if (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0) continue;
        unescape_mountinfo(fields[4]);
        if (under_rootfs(fields[4], root)) continue;
        char **grown = realloc(points, (count + 1) * sizeof *points);
        if (!grown || !(grown[count] = strdup(fields[4]))) fail("out of memory");
        points = grown;
        count++;
    }
    free(line);
    fclose(f);
    for (size_t i = 0; i < count; i++) {
        const char *p = points[i];
        if (mount(NULL, p, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
            if (errno == ENOENT || errno == EINVAL) continue; /* gone with an earlier detach */
            fail("make %s rslave", p);
        }
        if (umount2(p, MNT_DETACH) < 0) {
            if (errno != EINVAL && errno != EPERM) fail("unmount %s", p);
            if (mount("tmpfs", p, "tmpfs", 0, NULL) < 0) fail("cover %s with a tmpfs", p);
        }
    }
    for (size_t i = 0; i < count; i++) free(points[i]);
    free(points);
}

static void op_pivot(const struct op *o) {
    uint64_t no_pivot = u64(o, 0);
    if (no_pivot) detach_host_proc_sys();
    if (fchdir(rootfs_fd) < 0) fail("chdir to rootfs %s", rootfs_path);
    if (no_pivot) {
        if (mount(".", "/", NULL, MS_MOVE, NULL) < 0) fail("move rootfs %s to /", rootfs_path);
        if (chroot(".") < 0) fail("chroot to rootfs %s", rootfs_path);
    } else {
        /* pivot_root(".", "."): the old root ends up stacked under the new one; detach it. */
        if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root to %s", rootfs_path);
        /* keep the old root's mounts from propagating their unmount to the host */
        if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail("make old root rslave");
        if (umount2(".", MNT_DETACH) < 0) fail("unmount old root");
    }
    if (chdir("/") < 0) fail("chdir /");
    pivoted = 1;
}

static void op_write_file(const struct op *o) {
    const char *path = str(o, 0);
    const char *content = str(o, 1);
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) fail("open %s", path);
    if (write_all(fd, content, strlen(content)) < 0) fail("write %s", path);
    close(fd);
}

static void op_readonly(const struct op *o) {
    const char *path = str(o, 0);
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT) return;
        fail("bind %s read-only", path);
    }
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
        mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
        fail("remount %s read-only", path);
    }
}

static void op_mask(const struct op *o) {
    const char *path = str(o, 0);
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT) return;
        fail("stat masked path %s", path);
    }
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k") < 0) fail("mask %s", path);
    } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
        fail("mask %s", path);
    }
}

static void op_remount_root_ro(void) {
    if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
        struct statvfs sv;
        unsigned long locked = 0;
        if (statvfs("/", &sv) == 0) {
            if (sv.f_flag & ST_NOSUID) locked |= MS_NOSUID;
            if (sv.f_flag & ST_NODEV) locked |= MS_NODEV;
            if (sv.f_flag & ST_NOEXEC) locked |= MS_NOEXEC;
        }
        if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked, NULL) < 0) {
            fail("remount rootfs read-only");
        }
    }
}

static void send_fd(int sock, int fd, const char *name) {
    struct msghdr msg;
    struct iovec iov;
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(&msg, 0, sizeof msg);
    memset(cbuf, 0, sizeof cbuf);
    iov.iov_base = (void *)name;
    iov.iov_len = strlen(name);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof cbuf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if (sendmsg(sock, &msg, 0) < 0) fail("send console to the console socket");
}

/* Opens a pty in the container's devpts, sends the master out, makes the slave our tty. */
static void op_console(const struct op *o) {
    int sock = (int)u64(o, 0);
    if (sock < 0) sock = console_fd;
    if (sock < 0) {
        errno = 0;
        fail("plan: console without a console socket");
    }
    unsigned short rows = (unsigned short)u64(o, 1);
    unsigned short cols = (unsigned short)u64(o, 2);
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) fail("open /dev/ptmx");
    if (unlockpt(master) < 0) fail("unlockpt");
    char name[128];
    if (ptsname_r(master, name, sizeof name) != 0) fail("ptsname");
    int slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) fail("open %s", name);
    if (rows || cols) {
        struct winsize ws = {.ws_row = rows, .ws_col = cols};
        if (ioctl(master, TIOCSWINSZ, &ws) < 0) fail("set console size");
    }
    send_fd(sock, master, name);
    close(master);
    close(sock);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) fail("make %s the controlling terminal", name);
    for (int i = 0; i < 3; i++) {
        if (dup3(slave, i, 0) < 0) fail("dup console to fd %d", i);
    }
    if (slave > 2) close(slave);
}

/* Signals READY, then waits until start: the exec fifo (runc's way) or START on sync. */
static void op_ready(const struct op *o) {
    uint64_t mode = u64(o, 0);
    send_msg(MSG_READY, NULL, 0);
    if (mode == 0) {
        /* `create` returns on READY and nobody reads the sync socket any more: from here a
           failure (exec fifo, user, capabilities, seccomp, exec) goes to the container's
           stderr, where the engine's logs show it, instead of vanishing. */
        if (sync_out != sync_in) close(sync_out);
        close(sync_in);
        sync_in = sync_out = -1;
        if (done_w >= 0) {
            close(done_w); /* stage 0 may go: `create` is done with us */
            done_w = -1;
        }
        if (fifo_dir_fd < 0) {
            errno = 0;
            fail("plan: ready on the exec fifo without its directory");
        }
        /* Blocks until `start` opens the fifo for reading. */
        int fd = openat(fifo_dir_fd, "exec.fifo", O_WRONLY | O_CLOEXEC);
        if (fd < 0) fail("open exec fifo");
        if (write_all(fd, "0", 1) < 0) fail("write exec fifo");
        /* fd stays open, close-on-exec: `start` reads end of file when we execve (or die),
           so poststart hooks run after the user's process is executed, as the spec says */
        close(fifo_dir_fd);
        fifo_dir_fd = -1;
    } else {
        free(recv_msg(MSG_START, NULL));
    }
}

static void op_user(const struct op *o) {
    uid_t uid = (uid_t)u64(o, 0);
    gid_t gid = (gid_t)u64(o, 1);
    uint64_t ngroups = u64(o, 2);
    gid_t groups[1024];
    if (ngroups > 1024) {
        errno = E2BIG;
        fail("setgroups: %llu groups", (unsigned long long)ngroups);
    }
    for (uint64_t i = 0; i < ngroups; i++) groups[i] = (gid_t)u64(o, (uint32_t)(3 + i));
    /* runc's fixStdioPermissions: a terminal on stdio (not /dev/null) becomes the user's */
    for (int fd = 0; fd <= 2; fd++) {
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev == makedev(1, 3) || st.st_uid == uid) continue;
        if (fchown(fd, uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM && errno != EROFS) {
            fail("chown stdio fd %d to %u", fd, uid);
        }
    }
    /* keep the permitted set across setuid; OP_CAPS then sets exactly what the spec lists */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail("prctl keepcaps");
    if (setgroups(ngroups, groups) < 0) {
        /* in a user namespace with setgroups denied, an empty list is all we can do */
        if (!(errno == EPERM && ngroups == 0)) fail("setgroups");
    }
    if (setresgid(gid, gid, gid) < 0) fail("setgid %u", gid);
    if (setresuid(uid, uid, uid) < 0) fail("setuid %u", uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) fail("prctl keepcaps");
}

static int last_cap(void) {
    static int cached = -1;
    if (cached >= 0) return cached;
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    char buf[16] = {0};
    cached = CAP_LAST_CAP;
    if (fd >= 0) {
        if (read(fd, buf, sizeof buf - 1) > 0) cached = atoi(buf);
        close(fd);
    }
    return cached;
}

static void op_cap_bounding(const struct op *o) {
    uint64_t keep = u64(o, 0);
    int last = last_cap();
    for (int c = 0; c <= last && c < 64; c++) {
        if (keep & (1ULL << c)) continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) fail("drop capability %d from the bounding set", c);
    }
}

static void op_caps(const struct op *o) {
    uint64_t eff = u64(o, 0), perm = u64(o, 1), inh = u64(o, 2), amb = u64(o, 3);
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    data[0].effective = (uint32_t)eff;
    data[1].effective = (uint32_t)(eff >> 32);
    data[0].permitted = (uint32_t)perm;
    data[1].permitted = (uint32_t)(perm >> 32);
    data[0].inheritable = (uint32_t)inh;
    data[1].inheritable = (uint32_t)(inh >> 32);
    if (syscall(SYS_capset, &hdr, data) < 0) fail("capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) fail("clear ambient capabilities");
    for (int c = 0; c < 64; c++) {
        if (!(amb & (1ULL << c))) continue;
        /* The kernel refuses ambient caps that are not also permitted and inheritable; runc
           goes on without them (configs written for it rely on that), and so do we. */
        (void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
    }
}

static void op_seccomp(const struct op *o) {
    unsigned int flags = (unsigned int)u64(o, 0);
    if (o->n < 2 || o->len[1] % sizeof(struct sock_filter) != 0) {
        errno = 0;
        fail("plan: bad seccomp program");
    }
    struct sock_fprog prog;
    prog.len = (unsigned short)(o->len[1] / sizeof(struct sock_filter));
    prog.filter = (struct sock_filter *)(uintptr_t)o->field[1];
    /* the plan buffer is only 4-byte aligned; sock_filter needs no more */
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0) fail("load seccomp filter");
}

static const char *env_path(char **envp) {
    for (char **e = envp; *e; e++) {
        if (strncmp(*e, "PATH=", 5) == 0) return *e + 5;
    }
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* A program named by path failed to exec (errno set). runc's words, lower-case: engines map
   "no such file or directory" to exit 127 and "permission denied" to 126 by matching them. */
static void fail_exec_path(const char *name) __attribute__((noreturn));
static void fail_exec_path(const char *name) {
    int err = errno;
    errno = 0;
    if (err == ENOENT) fail("exec: \"%s\": stat %s: no such file or directory", name, name);
    if (err == EACCES) fail("exec: \"%s\": permission denied", name);
    errno = err;
    fail("exec: \"%s\"", name);
}

/* The container's program starts with every signal at its default and none blocked: what was
   ignored or blocked where the engine runs (a daemon started from a shell with `&` ignores
   SIGINT and SIGQUIT) must not reach it, or `docker kill -s INT` would never get to a trap.
   Errors are ignored: a seccomp profile may forbid these calls, and exec goes on without. */
static void reset_signals(void) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void op_exec(const struct op *o) {
    reset_signals();
    const char *name = str(o, 0);
    uint64_t argc = u64(o, 1);
    if (2 + argc > o->n || argc == 0) {
        errno = 0;
        fail("plan: exec: bad argument count");
    }
    char **argv = calloc(argc + 1, sizeof *argv);
    char **envp = calloc(o->n - 2 - argc + 1, sizeof *envp);
    if (!argv || !envp) fail("out of memory");
    for (uint64_t i = 0; i < argc; i++) argv[i] = (char *)str(o, (uint32_t)(2 + i));
    for (uint32_t i = (uint32_t)(2 + argc), j = 0; i < o->n; i++, j++) envp[j] = (char *)str(o, i);
    if (strchr(name, '/')) {
        execve(name, argv, envp);
        fail_exec_path(name);
    }
    /* Search the container's PATH, like exec.LookPath in runc. */
    const char *path = env_path(envp);
    char candidate[4096];
    int saw_eacces = 0;
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dl = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(candidate, sizeof candidate, "%.*s/%s", (int)dl, dl ? path : ".", name);
        execve(candidate, argv, envp);
        if (errno == EACCES) saw_eacces = 1;
        else if (errno != ENOENT && errno != ENOTDIR) fail("exec %s", candidate);
        path = colon ? colon + 1 : path + dl;
    }
    errno = 0;
    if (saw_eacces) fail("exec: \"%s\": permission denied", name);
    fail("exec: \"%s\": executable file not found in $PATH", name);
}

/* Resolves name like op_exec would, without executing: create fails early, as runc's does. */
static void op_check_exec(const struct op *o) {
    const char *name = str(o, 0);
    const char *path = str(o, 1);
    char candidate[4096];
    if (strchr(name, '/')) {
        if (access(name, X_OK) < 0) fail_exec_path(name);
        return;
    }
    int saw_eacces = 0;
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dl = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(candidate, sizeof candidate, "%.*s/%s", (int)dl, dl ? path : ".", name);
        struct stat st;
        if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(candidate, X_OK) == 0) return;
            saw_eacces = 1;
        }
        path = colon ? colon + 1 : path + dl;
    }
    errno = 0;
    if (saw_eacces) fail("exec: \"%s\": permission denied", name);
    fail("exec: \"%s\": executable file not found in $PATH", name);
}

static void run_child_op(const struct op *o) {
    switch (o->code) {
    case OP_UID_MAP:
        /* stage 0 wrote the maps before GO: become the user namespace's root, as runc does,
           so that what we create (e.g. /dev/pts on the container's tmpfs) has a mapped owner */
        if (setresuid(0, 0, 0) < 0) fail("setuid 0 in the user namespace");
        return;
    case OP_GID_MAP:
        if (setresgid(0, 0, 0) < 0) fail("setgid 0 in the user namespace");
        return;
    case OP_JOIN_NS:
    case OP_CLONE:
    case OP_MKFIFO:
    case OP_CONNECT_CONSOLE:
    case OP_CONSOLE_RELAY:
    case OP_OPEN_TREE:
    case OP_CLONE_INTO_CGROUP:
    case OP_CGROUP_JOIN:
        return; /* stage 0's (the child's writes happen before GO) */
    case OP_SETSID:
        if (setsid() < 0) fail("setsid");
        return;
    case OP_UNSHARE:
        if (unshare((int)u64(o, 0)) < 0) fail("unshare %#llx", (unsigned long long)u64(o, 0));
        return;
    case OP_JOIN_NS_LATE: {
        int fd = open(str(o, 0), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail("open namespace %s", str(o, 0));
        if (setns(fd, (int)u64(o, 1)) < 0) fail("join namespace %s", str(o, 0));
        close(fd);
        return;
    }
    case OP_ROOT_PROPAGATION:
        if (mount(NULL, "/", NULL, (unsigned long)u64(o, 0), NULL) < 0) fail("set propagation of /");
        return;
    case OP_BIND_ROOTFS:
        rootfs_path = str(o, 0);
        if (mount(rootfs_path, rootfs_path, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind rootfs %s", rootfs_path);
        rootfs_fd = open(rootfs_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfs_fd < 0) fail("open rootfs %s", rootfs_path);
        return;
    case OP_MOUNT:
        op_mount(o);
        return;
    case OP_MKNOD:
        op_mknod(o);
        return;
    case OP_BIND_DEV:
        op_bind_dev(o);
        return;
    case OP_SYMLINK:
        op_symlink(o);
        return;
    case OP_HOOK:
        op_hook(o);
        return;
    case OP_RUNTIME_HOOKS:
        send_msg(MSG_HOOKS, NULL, 0);
        free(recv_msg(MSG_GO, NULL));
        return;
    case OP_PIVOT:
        op_pivot(o);
        return;
    case OP_HOSTNAME:
        if (sethostname(str(o, 0), strlen(str(o, 0))) < 0) fail("sethostname %s", str(o, 0));
        return;
    case OP_DOMAINNAME:
        if (setdomainname(str(o, 0), strlen(str(o, 0))) < 0) fail("setdomainname %s", str(o, 0));
        return;
    case OP_WRITE_FILE:
        op_write_file(o);
        return;
    case OP_READONLY:
        op_readonly(o);
        return;
    case OP_MASK:
        op_mask(o);
        return;
    case OP_REMOUNT_ROOT_RO:
        op_remount_root_ro();
        return;
    case OP_FIFO_DIR:
        fifo_dir_fd = open(str(o, 0), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fifo_dir_fd < 0) fail("open state directory %s", str(o, 0));
        return;
    case OP_CONSOLE:
        op_console(o);
        return;
    case OP_READY:
        op_ready(o);
        return;
    case OP_RLIMIT: {
        struct rlimit rl = {.rlim_cur = (rlim_t)u64(o, 1), .rlim_max = (rlim_t)u64(o, 2)};
        if (setrlimit((int)u64(o, 0), &rl) < 0) fail("setrlimit %llu", (unsigned long long)u64(o, 0));
        return;
    }
    case OP_UMASK:
        umask((mode_t)u64(o, 0));
        return;
    case OP_KEYRING:
        /* a fresh session keyring, so that keys never leak between containers */
        if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, str(o, 0)) < 0 &&
            errno != ENOSYS && errno != EACCES && errno != EPERM) {
            fail("join session keyring %s", str(o, 0));
        }
        return;
    case OP_NO_NEW_PRIVS:
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("set no_new_privs");
        return;
    case OP_CAP_BOUNDING:
        op_cap_bounding(o);
        return;
    case OP_USER:
        op_user(o);
        return;
    case OP_CAPS:
        op_caps(o);
        return;
    case OP_SECCOMP:
        op_seccomp(o);
        return;
    case OP_CHDIR: {
        /* mode 0: must succeed; 1: a first try with the runtime's privileges, where EACCES or
         * EPERM waits for the try as the process's user; 2: that try, unless an earlier one
         * succeeded (the user may have lost the access root had, or have access root lacks) */
        static int chdir_done;
        uint64_t mode = o->n > 1 ? u64(o, 1) : 0;
        if (mode == 2 && chdir_done) return;
        if (chdir(str(o, 0)) == 0) {
            chdir_done = 1;
            return;
        }
        if (mode == 1 && (errno == EACCES || errno == EPERM)) return;
        fail("chdir to cwd (\"%s\") set in config.json", str(o, 0));
        return;
    }
    case OP_PERSONALITY:
        if (personality((unsigned long)u64(o, 0)) < 0) fail("personality");
        return;
    case OP_CLOSE_FDS:
        /* everything from the first non-preserved fd up is closed on exec (sync fd too) */
        if (syscall(SYS_close_range, (unsigned int)u64(o, 0), ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail("close_range");
        return;
    case OP_OOM_SCORE: {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, str(o, 0), strlen(str(o, 0))) < 0) fail("set oom_score_adj %s", str(o, 0));
        close(fd);
        return;
    }
    case OP_PARENT_DEATH:
        if (prctl(PR_SET_PDEATHSIG, (unsigned long)u64(o, 0), 0, 0, 0) < 0) fail("set parent death signal");
        return;
    case OP_EXEC:
        op_exec(o);
        return;
    case OP_CHECK_EXEC:
        op_check_exec(o);
        return;
    case OP_MKDIR_IN_ROOT:
        make_in_root(str(o, 0), 0);
        return;
    default:
        errno = 0;
        fail("plan: unknown op %u", o->code);
    }
}

/* clone3's arguments (linux/sched.h's struct clone_args, which glibc's headers clash with) */
struct clone3_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* Like fork (the child runs on a copy of our stack), born in the cgroup2 directory cgroup_fd. */
static pid_t clone_into_cgroup(unsigned long flags, int exit_signal, int cgroup_fd) {
    struct clone3_args a;
    memset(&a, 0, sizeof a);
    a.flags = (uint64_t)flags | CLONE_INTO_CGROUP;
    a.exit_signal = (uint64_t)exit_signal;
    a.cgroup = (uint64_t)cgroup_fd;
    return (pid_t)syscall(SYS_clone3, &a, sizeof a);
}

/* Files opened by stage 0 (in the runtime's mount and cgroup namespaces) that the child writes
   0 to: a single-threaded process writing 0 to a v1 tasks file moves itself into that cgroup. */
#define MAX_CGROUP_JOINS 64
static int cgroup_join_fd[MAX_CGROUP_JOINS];
static const char *cgroup_join_path[MAX_CGROUP_JOINS];
static int cgroup_joins;

static void open_cgroup_join(const char *path) {
    if (cgroup_joins == MAX_CGROUP_JOINS) {
        errno = 0;
        fail("plan: more than %d cgroup files", MAX_CGROUP_JOINS);
    }
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open %s", path);
    cgroup_join_fd[cgroup_joins] = fd;
    cgroup_join_path[cgroup_joins++] = path;
}

static void join_cgroups(void) {
    for (int i = 0; i < cgroup_joins; i++) {
        if (write(cgroup_join_fd[i], "0", 1) != 1) fail("join cgroup %s", cgroup_join_path[i]);
        close(cgroup_join_fd[i]);
    }
}

static void write_map(pid_t pid, const char *file, const char *content) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open %s", path);
    if (write_all(fd, content, strlen(content)) < 0) fail("write %s", path);
    close(fd);
}

static void connect_console(const char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        fail("connect to console socket %s", path);
    }
    strcpy(addr.sun_path, path);
    console_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (console_fd < 0) fail("socket for console socket %s", path);
    if (connect(console_fd, (struct sockaddr *)&addr, sizeof addr) < 0) fail("connect to console socket %s", path);
}

/* Pipe mode: the runtime started us with plain ProcessBuilder (no native code on its start-up
   path); our stdin and stdout are the sync pipes. The container's stdio and the fds the runtime
   preserves for it (3..3+n-1, which ProcessBuilder does not pass on) are copied from the
   runtime with pidfd_getfd. The JDK closes its ends of the pipes when we exit, so stage 0 lives
   until the conversation is over: the child holds `done_w` (close-on-exec) until it execs, or
   until READY when `start` comes through the exec fifo. */
static void take_sync_pipes(int nfds) {
    sync_in = fcntl(0, F_DUPFD_CLOEXEC, 3 + nfds);
    sync_out = fcntl(1, F_DUPFD_CLOEXEC, 3 + nfds);
    if (sync_in < 0 || sync_out < 0) {
        fprintf(stderr, "berth-init: dup sync pipes: %s\n", strerror(errno));
        _exit(2);
    }
}

static void adopt_parent_fds(pid_t parent, int nfds) {
    int pidfd = (int)syscall(SYS_pidfd_open, parent, 0);
    if (pidfd < 0) fail("pidfd_open of the runtime (pid %d)", parent);
    int moved = fcntl(pidfd, F_DUPFD_CLOEXEC, 3 + nfds);
    if (moved < 0) fail("dup pidfd");
    close(pidfd);
    pidfd = moved;
    /* stdio and the preserved fds 3..3+n-1, exactly as the runtime has them */
    for (int fd = 0; fd < 3 + nfds; fd++) {
        int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        if (got < 0) {
            if (errno == EBADF) {
                if (fd < 3) close(fd);
                continue;
            }
            fail("copy fd %d from the runtime (pidfd_getfd)", fd);
        }
        if (got != fd) {
            if (dup2(got, fd) < 0) fail("dup2 fd %d", fd);
            close(got);
        } else if (fcntl(fd, F_SETFD, 0) < 0) {
            fail("clear close-on-exec of fd %d", fd);
        }
    }
    close(pidfd);
}

static pid_t forward_to = -1;

static void forward_signal(int sig) {
    if (forward_to > 0) kill(forward_to, sig);
}

/* The signals a foreground runtime passes on to its container (SIGWINCH only without a relay,
   which answers it by resizing the pty instead). */
static void forward_signals_to(pid_t child, int with_winch) {
    static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    forward_to = child;
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &sa, NULL);
    if (with_winch) sigaction(SIGWINCH, &sa, NULL);
}

/* Stay mode: stage 0 remains the parent, forwards signals, and exits as the child did. */
static int wait_and_mirror(pid_t child) {
    forward_signals_to(child, 1);
    int status = 0;
    for (;;) {
        pid_t r = waitpid(child, &status, 0);
        if (r == child) break;
        if (r < 0 && errno != EINTR) return 255;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

/* ---- foreground console relay (runc run with a terminal and no console socket) ---- */

static int relay_sock = -1;      /* stage 0's end of the socketpair the child sends the pty on */
static int sigchld_pipe[2] = {-1, -1};
static volatile sig_atomic_t winch_pending = 0;

static void on_sigchld(int sig) {
    (void)sig;
    int saved = errno;
    if (sigchld_pipe[1] >= 0) (void)!write(sigchld_pipe[1], "c", 1);
    errno = saved;
}

static void on_sigwinch(int sig) {
    (void)sig;
    winch_pending = 1;
    int saved = errno;
    if (sigchld_pipe[1] >= 0) (void)!write(sigchld_pipe[1], "w", 1);
    errno = saved;
}

static int recv_fd(int sock) {
    char data[128];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof cbuf;
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

static void copy_winsize(int master) {
    struct winsize ws;
    if (ioctl(0, TIOCGWINSZ, &ws) == 0) (void)ioctl(master, TIOCSWINSZ, &ws);
}

/* Copies stdin to the pty and the pty to stdout until the child exits; returns its status. */
static int relay_and_wait(pid_t child) {
    forward_signals_to(child, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) < 0) return 255;
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = on_sigwinch;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);

    struct termios saved_tio;
    int raw = 0, master = -1, stdin_open = 1, status = 0, exited = 0;
    char buf[8192];
    while (!exited) {
        struct pollfd p[4];
        int n = 0, i_sock = -1, i_in = -1, i_master = -1;
        p[n].fd = sigchld_pipe[0]; p[n].events = POLLIN; n++;
        if (master < 0 && relay_sock >= 0) { i_sock = n; p[n].fd = relay_sock; p[n].events = POLLIN; n++; }
        if (master >= 0 && stdin_open) { i_in = n; p[n].fd = 0; p[n].events = POLLIN; n++; }
        if (master >= 0) { i_master = n; p[n].fd = master; p[n].events = POLLIN; n++; }
        if (poll(p, (nfds_t)n, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[0].revents) {
            char c[64];
            while (read(sigchld_pipe[0], c, sizeof c) > 0) {}
            if (winch_pending && master >= 0) {
                winch_pending = 0;
                copy_winsize(master);
            }
            if (waitpid(child, &status, WNOHANG) == child) exited = 1;
        }
        if (i_sock >= 0 && p[i_sock].revents) {
            master = recv_fd(relay_sock);
            close(relay_sock);
            relay_sock = -1;
            if (master >= 0 && isatty(0) && tcgetattr(0, &saved_tio) == 0) {
                struct termios t = saved_tio;
                cfmakeraw(&t);
                if (tcsetattr(0, TCSANOW, &t) == 0) raw = 1;
                copy_winsize(master);
            }
        }
        if (i_in >= 0 && p[i_in].revents) {
            ssize_t r = read(0, buf, sizeof buf);
            if (r <= 0) stdin_open = 0;
            else (void)write_all(master, buf, (size_t)r);
        }
        if (i_master >= 0 && p[i_master].revents) {
            ssize_t r = read(master, buf, sizeof buf);
            if (r > 0) (void)write_all(1, buf, (size_t)r);
            else if (r < 0 && errno != EINTR && errno != EAGAIN) { close(master); master = -2; }
            else if (r == 0) { close(master); master = -2; }
        }
        if (master == -2) {
            master = -1;
            relay_sock = -1;
        }
    }
    /* what the program wrote just before exiting */
    if (master >= 0) {
        int fl = fcntl(master, F_GETFL);
        fcntl(master, F_SETFL, fl | O_NONBLOCK);
        ssize_t r;
        while ((r = read(master, buf, sizeof buf)) > 0) (void)write_all(1, buf, (size_t)r);
    }
    if (raw) tcsetattr(0, TCSANOW, &saved_tio);
    if (!exited) {
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

int main(int argc, char **argv) {
    int pipe_mode = 0, stay = 0;
    if (argc >= 4 && strcmp(argv[1], "--exec") == 0) {
        execv(argv[2], argv + 3);
        fprintf(stderr, "berth-init: exec %s: %s\n", argv[2], strerror(errno));
        return 127;
    }
    if (argc == 2) {
        /* fd mode: berth-init <sync-fd>, spawned with the socket and the stdio it should pass on */
        sync_in = sync_out = atoi(argv[1]);
        if (fcntl(sync_in, F_SETFD, FD_CLOEXEC) < 0) {
            fprintf(stderr, "berth-init: bad sync fd %s\n", argv[1]);
            return 2;
        }
    } else if (argc == 5 && strcmp(argv[1], "--pipes") == 0) {
        /* pipe mode: berth-init --pipes <runtime-pid> <preserved-fds> <stay> */
        pipe_mode = 1;
        stay = atoi(argv[4]);
        take_sync_pipes(atoi(argv[3]));
        adopt_parent_fds((pid_t)atoi(argv[2]), atoi(argv[3]));
        if (!stay) {
            int p[2];
            if (pipe2(p, O_CLOEXEC) < 0) fail("pipe");
            done_r = p[0];
            done_w = p[1];
        }
    } else {
        fprintf(stderr, "berth-init: usage: berth-init <sync-fd> | --pipes <pid> <nfds> <stay> (started by berth, not by hand)\n");
        return 2;
    }
    uint32_t plan_len = 0;
    char *plan = recv_msg(MSG_PLAN, &plan_len);
    struct op *o = malloc(sizeof *o);
    if (!o) fail("out of memory");

    uint32_t pos = 0;
    pid_t child = -1;
    int entered_user_ns = 0;
    int cgroup_fd = -1;
    const char *cgroup_dir = NULL;
    /* Stage 0: join namespaces, make the exec fifo, connect the console socket, clone. */
    while (next_op(plan, plan_len, &pos, o)) {
        if (o->code == OP_JOIN_NS) {
            int fd = open(str(o, 0), O_RDONLY | O_CLOEXEC);
            if (fd < 0) fail("open namespace %s", str(o, 0));
            if (setns(fd, (int)u64(o, 1)) < 0) fail("join namespace %s", str(o, 0));
            close(fd);
            if (u64(o, 1) == CLONE_NEWUSER) entered_user_ns = 1;
        } else if (o->code == OP_MKFIFO) {
            if (mkfifo(str(o, 0), (mode_t)u64(o, 1)) < 0) fail("mkfifo %s", str(o, 0));
            /* mkfifo honours the umask (0600 then): the init of a user namespace is not the
               host's root and must still be able to open it for writing */
            if (chmod(str(o, 0), (mode_t)u64(o, 1)) < 0) fail("chmod %s", str(o, 0));
        } else if (o->code == OP_CONNECT_CONSOLE) {
            connect_console(str(o, 0));
        } else if (o->code == OP_OPEN_TREE) {
            op_open_tree(o);
        } else if (o->code == OP_CONSOLE_RELAY) {
            int sv[2];
            if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) fail("socketpair for the console");
            relay_sock = sv[0];
            console_fd = sv[1];
        } else if (o->code == OP_CGROUP_JOIN) {
            open_cgroup_join(str(o, 0));
        } else if (o->code == OP_CLONE_INTO_CGROUP) {
            cgroup_dir = str(o, 0);
            cgroup_fd = open(cgroup_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (cgroup_fd < 0) fail("open cgroup %s", cgroup_dir);
        } else if (o->code == OP_CLONE) {
            /* fd mode: CLONE_PARENT makes the container's process a child of the runtime (Java),
               which waits for it; this stage exits right after reporting the pid. Connect mode:
               the process is our child; we exit (it is reparented to the caller's subreaper,
               as with runc create) or stay to wait for it. */
            unsigned long flags = (unsigned long)u64(o, 0) | (pipe_mode ? SIGCHLD : CLONE_PARENT);
            if (cgroup_fd >= 0) {
                child = clone_into_cgroup(flags & ~0xffUL, pipe_mode ? SIGCHLD : 0, cgroup_fd);
                if (child < 0) fail("clone into cgroup %s", cgroup_dir);
                if (child > 0) close(cgroup_fd);
            } else {
                child = (pid_t)syscall(SYS_clone, flags, 0, NULL, NULL, 0);
            }
            if (child < 0) fail("clone %#lx", flags);
            if (flags & CLONE_NEWUSER) entered_user_ns = 1;
            break;
        } else {
            errno = 0;
            fail("plan: op %u before clone", o->code);
        }
    }
    if (child < 0) {
        errno = 0;
        fail("plan: no clone op");
    }
    if (child > 0) {
        /* Stage 0 after clone: id maps are written from outside the new user namespace. */
        uint32_t p = pos;
        while (next_op(plan, plan_len, &p, o)) {
            if (o->code == OP_UID_MAP) {
                write_map(child, "uid_map", str(o, 0));
            } else if (o->code == OP_GID_MAP) {
                if (u64(o, 1)) write_map(child, "setgroups", "deny");
                write_map(child, "gid_map", str(o, 0));
            }
        }
        for (int i = 0; i < cgroup_joins; i++) close(cgroup_join_fd[i]);
        int32_t pid32 = child;
        send_msg(MSG_PID, &pid32, sizeof pid32);
        if (console_fd >= 0) close(console_fd);
        if (!stay) {
            if (relay_sock >= 0) {
                errno = 0;
                fail("plan: a console relay needs the foreground");
            }
            if (done_r >= 0) {
                /* the runtime talks with the child through our pipes: stay until it is done */
                close(done_w);
                close(sync_in);
                if (sync_out != sync_in) close(sync_out);
                char c;
                for (;;) {
                    ssize_t r = read(done_r, &c, 1);
                    if (r == 0 || (r < 0 && errno != EINTR)) break;
                }
            }
            return 0;
        }
        /* our copies of the sync channel must not hold it open: the runtime reads EOF as exec */
        close(sync_in);
        if (sync_out != sync_in) close(sync_out);
        sync_in = sync_out = -1;
        if (relay_sock >= 0) return relay_and_wait(child);
        return wait_and_mirror(child);
    }
    /* The child: join our v1 cgroups (when the plan says so; else Java moves us in before GO),
       wait for GO, then run the plan. */
    if (cgroup_fd >= 0) close(cgroup_fd);
    if (done_r >= 0) close(done_r);
    join_cgroups();
    hook_state = recv_msg(MSG_GO, &hook_state_len);
    if (entered_user_ns) {
        /* Still the host's root, which the new namespace does not map: files we create (on a
           tmpfs /dev, say) would have no owner (EOVERFLOW). Become the namespace's root, as
           runc does; the id maps are written by now. */
        if (setresgid(0, 0, 0) < 0) fail("setgid 0 in the user namespace");
        if (setresuid(0, 0, 0) < 0) fail("setuid 0 in the user namespace");
    }
    while (next_op(plan, plan_len, &pos, o)) run_child_op(o);
    errno = 0;
    fail("plan: ended without exec");
}
