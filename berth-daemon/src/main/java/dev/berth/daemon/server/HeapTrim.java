package dev.berth.daemon.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives memory back after a large transfer (docker load, save, import). The serial collector
 * only shrinks the heap at a full collection, which an idle daemon never has: so a few seconds
 * after the last large transfer ends, one full collection runs (a few milliseconds on a heap
 * this small) and the heap falls back to its idle size.
 */
public final class HeapTrim {
    private static final long QUIET_MILLIS = 3_000;
    private static final AtomicLong generation = new AtomicLong();

    private HeapTrim() {}

    /** Called when a large transfer ends; later calls postpone the collection. */
    public static void afterLargeTransfer() {
        long mine = generation.incrementAndGet();
        Thread.ofVirtual().name("heap-trim").start(() -> {
            try {
                Thread.sleep(QUIET_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (generation.get() == mine) {
                System.gc();
            }
        });
    }
}
