package dev.berth.engine.run;

import dev.berth.engine.logs.LogEntry;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The engine's one thread that watches every running container: a poll(2) loop over each
 * container's pidfd and its stdout and stderr pipes. Output is cut into lines for the log
 * writer; an exited init is reaped through its pidfd (waitid P_PIDFD: never waitpid(-1), which
 * would steal the JDK's own children's statuses, DESIGN.md "Traps"). A container's exit is
 * reported once the init is reaped and both pipes are at end of stream, so every line it wrote
 * is logged before anyone hears it exited. The exit callback runs on a virtual thread: the loop
 * itself never waits for an engine lock.
 */
public final class IoLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());
    private static final int READ_CHUNK = 64 * 1024;

    private final Syscalls sys;
    private final int[] wakeup;
    private final ConcurrentLinkedQueue<Watch> added = new ConcurrentLinkedQueue<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    /** A sink told when the lines of one read have all been given to it (the log writer flushes then). */
    public interface BatchSink extends Consumer<LogEntry> {
        void endOfBatch();
    }

    /** One container's process and pipes. */
    public static final class Watch {
        private final int pidfd;
        private int outFd;
        private int errFd;
        private final LineSplitter out;
        private final LineSplitter err;
        private final IntConsumer onExit;
        private final Consumer<LogEntry> sink;
        private int status = -1;
        private boolean reported;

        Watch(int pidfd, int outFd, int errFd, Consumer<LogEntry> sink, IntConsumer onExit) {
            this.pidfd = pidfd;
            this.outFd = outFd;
            this.errFd = errFd;
            // a watch without a stderr pipe is a terminal (the one stream of a pty master): interactive
            this.out = new LineSplitter(LogEntry.Stream.STDOUT, sink, errFd < 0);
            this.err = new LineSplitter(LogEntry.Stream.STDERR, sink);
            this.onExit = onExit;
            this.sink = sink;
        }
    }

    public IoLoop(Syscalls sys) {
        this.sys = sys;
        this.wakeup = sys.pipe();
        this.thread = Thread.ofPlatform().daemon().name("berth-engine-io").start(this::run);
    }

    /**
     * Watches a started container. Takes ownership of the three fds (closes them when done).
     * onExit gets the raw wait status once the container has exited and its output is drained.
     */
    public void watch(int pidfd, int stdoutRead, int stderrRead, Consumer<LogEntry> sink, IntConsumer onExit) {
        added.add(new Watch(pidfd, stdoutRead, stderrRead, sink, onExit));
        sys.writeAll(wakeup[1], new byte[] {1});
    }

    private void run() {
        while (!closed) {
            Watch w;
            while ((w = added.poll()) != null) {
                watches.add(w);
            }
            List<int[]> refs = new ArrayList<>(); // {watch index, which: 0 pidfd, 1 out, 2 err}
            List<Integer> fds = new ArrayList<>();
            fds.add(wakeup[0]);
            refs.add(new int[] {-1, -1});
            for (int i = 0; i < watches.size(); i++) {
                Watch x = watches.get(i);
                if (x.status < 0) {
                    fds.add(x.pidfd);
                    refs.add(new int[] {i, 0});
                }
                if (x.outFd >= 0) {
                    fds.add(x.outFd);
                    refs.add(new int[] {i, 1});
                }
                if (x.errFd >= 0) {
                    fds.add(x.errFd);
                    refs.add(new int[] {i, 2});
                }
            }
            int[] set = fds.stream().mapToInt(Integer::intValue).toArray();
            boolean[] ready;
            try {
                ready = sys.pollIn(set, 1000);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "poll: " + e.getMessage());
                sleepQuietly();
                continue;
            }
            for (int k = 0; k < set.length; k++) {
                if (!ready[k]) {
                    continue;
                }
                int[] ref = refs.get(k);
                if (ref[0] < 0) {
                    sys.read(wakeup[0], 256);
                    continue;
                }
                Watch x = watches.get(ref[0]);
                switch (ref[1]) {
                    case 0 -> reap(x);
                    case 1 -> x.outFd = drain(x.outFd, x.out);
                    default -> x.errFd = drain(x.errFd, x.err);
                }
                if (ref[1] != 0 && x.sink instanceof BatchSink batch) {
                    batch.endOfBatch();
                }
            }
            for (var it = watches.iterator(); it.hasNext(); ) {
                Watch x = it.next();
                if (x.status >= 0 && x.outFd < 0 && x.errFd < 0 && !x.reported) {
                    x.reported = true;
                    it.remove();
                    int status = x.status;
                    Thread.ofVirtual().name("berth-exit").start(() -> x.onExit.accept(status));
                }
            }
        }
    }

    private void reap(Watch x) {
        try {
            int status = sys.pidfdReap(x.pidfd);
            if (status < 0) {
                return;
            }
            x.status = status;
        } catch (Errno e) {
            // ECHILD: someone else reaped it (a forced delete); the status is lost
            x.status = 137 << 8;
            if (e.errno() != Errno.ECHILD) {
                LOG.log(System.Logger.Level.WARNING, "reap: " + e.getMessage());
            }
        }
        sys.close(x.pidfd);
    }

    /** Reads what is there; at end of stream flushes and closes the fd and returns -1. */
    private int drain(int fd, LineSplitter splitter) {
        byte[] data;
        try {
            data = sys.read(fd, READ_CHUNK);
        } catch (Errno e) {
            data = new byte[0];
        }
        if (data.length > 0) {
            splitter.feed(data);
            return fd;
        }
        splitter.finish();
        sys.close(fd);
        return -1;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop; watches still open are abandoned (their fds closed), as at a daemon's exit. */
    @Override
    public void close() {
        closed = true;
        sys.writeAll(wakeup[1], new byte[] {1});
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Watch x : watches) {
            closeQuietly(x.pidfd, x.status < 0);
            closeQuietly(x.outFd, x.outFd >= 0);
            closeQuietly(x.errFd, x.errFd >= 0);
        }
        watches.clear();
        sys.close(wakeup[0]);
        sys.close(wakeup[1]);
    }

    private void closeQuietly(int fd, boolean open) {
        if (open) {
            try {
                sys.close(fd);
            } catch (RuntimeException ignored) {
                // closing at shutdown
            }
        }
    }
}
