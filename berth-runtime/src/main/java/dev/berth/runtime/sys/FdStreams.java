package dev.berth.runtime.sys;

import java.io.InputStream;
import java.io.OutputStream;

/** Streams over a raw fd through {@link Syscalls}, for sockets the JDK cannot wrap. */
public final class FdStreams {
    private FdStreams() {}

    public static InputStream in(Syscalls sys, int fd) {
        return new InputStream() {
            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                if (len == 0) {
                    return 0;
                }
                byte[] b;
                try {
                    b = sys.read(fd, len);
                } catch (Errno e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
                if (b.length == 0) {
                    return -1;
                }
                System.arraycopy(b, 0, buf, off, b.length);
                return b.length;
            }
        };
    }

    public static OutputStream out(Syscalls sys, int fd) {
        return new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                byte[] b = new byte[len];
                System.arraycopy(buf, off, b, 0, len);
                try {
                    sys.writeAll(fd, b);
                } catch (Errno e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }
        };
    }
}
