package dev.berth.registry.http;

import dev.berth.registry.store.RegistryStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background sweep of abandoned upload sessions (spec.md "Cancel a blob upload": the server
 * SHOULD eventually time out unfinished uploads): every quarter of the expiry, at most every ten
 * minutes, sessions idle for longer than the expiry are removed with their data.
 */
public final class UploadExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiry.class);
    private final ScheduledExecutorService timer;

    private UploadExpiry(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static UploadExpiry start(RegistryStore store, Duration maxIdle) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upload-expiry");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1_000, Math.min(maxIdle.toMillis() / 4, Duration.ofMinutes(10).toMillis()));
        timer.scheduleWithFixedDelay(() -> {
            try {
                int removed = store.expireUploads(maxIdle);
                if (removed > 0) {
                    LOG.info("removed {} upload sessions idle for more than {}", removed, maxIdle);
                }
            } catch (RuntimeException e) {
                LOG.warn("expiring upload sessions failed: {}", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return new UploadExpiry(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
