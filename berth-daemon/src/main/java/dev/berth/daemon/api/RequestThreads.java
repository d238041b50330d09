package dev.berth.daemon.api;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Where blocking routes run: a platform thread of Jetty's pool while fewer than {@code platform}
 * routes hold one, otherwise a virtual thread of its own.
 *
 * <p>Platform threads first because routes reach the kernel through FFM calls, and a virtual
 * thread inside a native call pins its carrier (there are as many carriers as cores). Virtual
 * threads after that, never a queue: streams ({@code logs -f}, {@code events}, attach, wait) hold
 * their thread for as long as they last, and a request queued behind them would wait as long.
 */
final class RequestThreads implements Executor {
    private final Executor pool;
    private final Executor overflow;
    private final Semaphore platform;

    RequestThreads(Executor pool, Executor overflow, int platform) {
        if (platform < 1) {
            throw new IllegalArgumentException("at least one platform thread for routes: " + platform);
        }
        this.pool = pool;
        this.overflow = overflow;
        this.platform = new Semaphore(platform);
    }

    @Override
    public void execute(Runnable route) {
        if (!platform.tryAcquire()) {
            overflow.execute(route);
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    route.run();
                } finally {
                    platform.release();
                }
            });
        } catch (RejectedExecutionException e) {
            platform.release();
            throw e;
        }
    }
}
