package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The reading side of runc's exec fifo: a created container's init blocks opening
 * {@code exec.fifo} for writing; `start` opens it, reads the byte the init writes, and the
 * init goes on to exec the user's program.
 */
final class ExecFifo {
    private ExecFifo() {}

    /** Lets the init at pid go; fails if it died meanwhile instead of waiting forever. */
    static void release(Path fifo, int pid, long startTime) {
        // "rw" opens O_RDWR, which never blocks on a fifo and counts as the reader the init's
        // open(O_WRONLY) waits for. No native binding needed.
        try (RandomAccessFile file = new RandomAccessFile(fifo.toFile(), "rw")) {
            FileChannel channel = file.getChannel();
            Reader reader = new Reader(channel);
            Thread t = new Thread(reader, "exec-fifo");
            t.setDaemon(true);
            t.start();
            while (true) {
                t.join(50);
                if (!t.isAlive()) {
                    break;
                }
                if (!ProcStat.isLive(pid, startTime)) {
                    channel.close(); // wakes the reader
                    throw BerthException.precondition("cannot start a container that has stopped");
                }
            }
            if (reader.failure != null) {
                throw BerthException.internal("read exec fifo " + fifo + ": " + reader.failure.getMessage(), reader.failure);
            }
        } catch (java.io.FileNotFoundException e) {
            throw BerthException.precondition("cannot start an already running container");
        } catch (IOException e) {
            throw BerthException.internal("open exec fifo " + fifo + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("start interrupted", e);
        }
    }

    private static final class Reader implements Runnable {
        private final FileChannel channel;
        volatile IOException failure;

        Reader(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            try {
                ByteBuffer one = ByteBuffer.allocate(1);
                while (one.hasRemaining()) {
                    if (channel.read(one) < 0) {
                        return;
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
