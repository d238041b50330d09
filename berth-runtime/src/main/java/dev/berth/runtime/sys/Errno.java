package dev.berth.runtime.sys;

/** A failed system call: the call, what it was about, and the kernel's errno. */
public final class Errno extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EEXIST = 17;
    public static final int EBUSY = 16;
    public static final int ECHILD = 10;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int ENOTEMPTY = 39;
    public static final int ENODATA = 61;
    public static final int EOPNOTSUPP = 95;

    private final int errno;

    public Errno(String call, int errno) {
        super(call + ": " + describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** strerror's words for the errors berth meets most, the number otherwise. */
    public static String describe(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted";
            case 2 -> "no such file or directory";
            case 3 -> "no such process";
            case 4 -> "interrupted system call";
            case 9 -> "bad file descriptor";
            case 10 -> "no child processes";
            case 11 -> "resource temporarily unavailable";
            case 12 -> "cannot allocate memory";
            case 13 -> "permission denied";
            case 16 -> "device or resource busy";
            case 17 -> "file exists";
            case 20 -> "not a directory";
            case 21 -> "is a directory";
            case 22 -> "invalid argument";
            case 24 -> "too many open files";
            case 28 -> "no space left on device";
            case 38 -> "function not implemented";
            case 39 -> "directory not empty";
            case 61 -> "no data available";
            case 95 -> "operation not supported";
            case 111 -> "connection refused";
            default -> "errno " + errno;
        };
    }
}
