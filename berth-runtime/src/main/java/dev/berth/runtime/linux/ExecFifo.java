package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reading side of runc's exec fifo. A created container's init blocks opening
 * {@code exec.fifo} for writing; `start` opens it for reading, which lets the init go on. The
 * init writes one byte and keeps the fifo open (close-on-exec) until it calls execve, so end of
 * file here means the user's program has been executed (or the init died): only then do
 * poststart hooks run (runtime.md, "start").
 */
final class ExecFifo {
    private ExecFifo() {}

    /** Lets the init at pid go and waits until it has exec'd; fails if it died first. */
    static void release(Path fifo, int pid, long startTime) {
        if (!Files.exists(fifo)) {
            throw BerthException.precondition("cannot start an already running container");
        }
        Reader reader = new Reader(fifo);
        Thread t = new Thread(reader, "exec-fifo");
        t.setDaemon(true);
        t.start();
        try {
            while (true) {
                t.join(20);
                if (!t.isAlive()) {
                    break;
                }
                if (!ProcStat.isLive(pid, startTime)) {
                    if (!reader.opened) {
                        unblock(fifo);
                    }
                    t.join(1000);
                    throw BerthException.precondition("cannot start a container that has stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("start interrupted", e);
        }
        if (reader.failure != null) {
            throw BerthException.internal("read exec fifo " + fifo + ": " + reader.failure.getMessage(), reader.failure);
        }
        if (reader.bytes == 0) {
            throw BerthException.precondition("cannot start a container that has stopped");
        }
    }

    /** Our reader is stuck in open(O_RDONLY) with no writer left: be the writer it waits for. */
    private static void unblock(Path fifo) {
        try (RandomAccessFile ignored = new RandomAccessFile(fifo.toFile(), "rw")) {
            // opening is enough
        } catch (IOException ignored) {
            // the fifo is gone: the reader failed on its own
        }
    }

    /** Opens the fifo (blocks until the init opens its end), then reads to end of file. */
    private static final class Reader implements Runnable {
        private final Path fifo;
        volatile boolean opened;
        volatile int bytes;
        volatile IOException failure;

        Reader(Path fifo) {
            this.fifo = fifo;
        }

        @Override
        public void run() {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                opened = true;
                byte[] buf = new byte[16];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    bytes += n;
                }
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
