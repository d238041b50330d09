package dev.berth.engine;

import dev.berth.image.io.FileTrees;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Deletes the trees that docker rm detached (the writable layer, the container's directory with
 * its logs) on one background thread, so rm answers once they are renamed out of the stores:
 * on this kind of disk (ext4 with discard) unlinking a container's files took 3–30 ms. What a
 * crash leaves behind is swept when the stores open (tmp- snapshots, non-id container dirs).
 */
final class BackgroundDeletes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackgroundDeletes.class.getName());

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("berth-engine-deletes").unstarted(r));

    void delete(Path tree) {
        try {
            thread.execute(() -> FileTrees.deleteQuietly(tree));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            FileTrees.deleteQuietly(tree); // closing: do it here
        }
    }

    /** Finishes what was queued (bounded), so nothing deletes under a caller that removes the roots next. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "background deletes still running after 30 s; left for the next sweep");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
