package dev.berth.image.layer;

import dev.berth.oci.BerthException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The regular files of one unpack that are being created on the shared writer threads while the
 * reader parses on. On this VM's ext4 a file creation costs ~0.6 ms of kernel time, even for an
 * empty file; two threads creating in parallel cut a 6,500-file unpack from 3.9 s to 2.3 s.
 *
 * <p>Only the reader thread calls these methods. It records every path it handed over in
 * {@link #isPending} until the next {@link #await}, so it can wait before touching such a path
 * again; the writer tasks themselves touch only their own file. The first failure of a task is
 * thrown, as it was made, by the next {@link #submit} or {@link #await}; later tasks are skipped.
 */
final class PendingWrites {
    /** Writer threads shared by all unpacks; more measured slower on the 2-core VM. */
    static final int THREADS = Integer.getInteger("berth.unpack.writers", 2);
    /** Bytes of content (plus a per-file charge) held in memory for the writers at most. */
    private static final int IN_FLIGHT_BYTES = 8 << 20;
    private static final int PER_FILE_COST = 4096;

    private static final ThreadPoolExecutor POOL = pool();

    private final Semaphore budget = new Semaphore(IN_FLIGHT_BYTES);
    private final Set<String> pending = new HashSet<>();
    private final Object lock = new Object();
    private int running;
    private RuntimeException failure;

    private static ThreadPoolExecutor pool() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, THREADS); // 0 turns hand-over off; the pool then stays unused
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "berth-unpack-writer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true); // an idle daemon keeps no writer threads
        return p;
    }

    /** False with -Dberth.unpack.writers=0: every file is then written by the reader, as before. */
    static boolean enabled() {
        return THREADS > 0;
    }

    /** Whether {@code clean} was handed to a writer since the last {@link #await}. */
    boolean isPending(String clean) {
        return pending.contains(clean);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Charge for a file of {@code length} bytes; taken before its buffer is filled. */
    static int cost(int length) {
        return Math.min(length, IN_FLIGHT_BYTES - PER_FILE_COST) + PER_FILE_COST;
    }

    /** Blocks until {@code cost} bytes of the budget are free; throws a writer's failure. */
    void reserve(int cost) {
        rethrow();
        budget.acquireUninterruptibly(cost);
    }

    /** Runs {@code write} on a writer thread; {@code cost} was reserved and is given back when it ends. */
    void submit(String clean, int cost, Runnable write) {
        pending.add(clean);
        synchronized (lock) {
            running++;
        }
        POOL.execute(() -> {
            try {
                boolean failed;
                synchronized (lock) {
                    failed = failure != null;
                }
                if (!failed) {
                    write.run();
                }
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    if (failure == null) {
                        failure = e instanceof RuntimeException r ? r
                                : BerthException.internal("unpacking layer: " + e, e);
                    }
                }
            } finally {
                budget.release(cost);
                synchronized (lock) {
                    running--;
                    lock.notifyAll();
                }
            }
        });
    }

    /** Waits for every handed-over file; throws the first failure. */
    void await() {
        awaitQuietly();
        rethrow();
    }

    /** Waits for every handed-over file, failed or not (before the caller removes a partial layer). */
    void awaitQuietly() {
        boolean interrupted = false;
        synchronized (lock) {
            while (running > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the writers are short; leaving them running would race the cleanup
                }
            }
        }
        pending.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() {
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
