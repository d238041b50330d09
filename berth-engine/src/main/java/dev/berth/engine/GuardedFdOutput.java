package dev.berth.engine;

import dev.berth.runtime.sys.FdStreams;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * A stream to a process's stdin over a descriptor its owner may close at any time (the process
 * exits): every write holds the owner's lock and first checks the descriptor is still the
 * owner's, so a closed number reused by something else is never written to. Closing the stream
 * runs the owner's close action once.
 */
final class GuardedFdOutput extends OutputStream {
    private final OutputStream raw;
    private final Object lock;
    private final BooleanSupplier stillOpen;
    private final Runnable onClose;
    private final String closedMessage;
    private volatile boolean closed;

    GuardedFdOutput(Syscalls sys, int fd, Object lock, BooleanSupplier stillOpen, Runnable onClose, String closedMessage) {
        this.raw = FdStreams.out(sys, fd);
        this.lock = lock;
        this.stillOpen = stillOpen;
        this.onClose = onClose;
        this.closedMessage = closedMessage;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        synchronized (lock) {
            if (closed || !stillOpen.getAsBoolean()) {
                throw new IOException(closedMessage);
            }
            raw.write(b, off, len);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
    }
}
