package dev.berth.image.registry.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The registry client's read timeout: how long a registry may send nothing (and, on a push, read
 * nothing) before the request is given up. The JDK's HttpClient bounds only the wait for
 * response headers, and only when asked; dockerd sets no such bound either, so a registry that
 * sends its headers and then stalls hangs its pull forever. A watchdog thread, shared by every
 * stream, checks a few times per timeout whether a read has been blocked for longer.
 */
final class IdleTimeout {
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private IdleTimeout() {
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("registry-idle-watchdog").factory());
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** How often a stream with this timeout is looked at: a timeout fires within 1.25 times its length. */
    static long periodNanos(Duration timeout) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), timeout.toNanos() / 4);
    }

    static ScheduledFuture<?> every(Duration timeout, Runnable check) {
        long period = periodNanos(timeout);
        return WATCHDOG.scheduleWithFixedDelay(check, period, period, TimeUnit.NANOSECONDS);
    }

    /** Response bodies as streams whose reads time out ({@link Body}); {@code from} names the registry in the message. */
    static java.net.http.HttpResponse.BodyHandler<InputStream> bodies(Duration timeout, String from) {
        return info -> java.net.http.HttpResponse.BodySubscribers.mapping(
                java.net.http.HttpResponse.BodySubscribers.ofInputStream(), in -> new Body(in, timeout, from));
    }

    /** "60 s", "200 ms". */
    static String words(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * A response body whose reads fail with {@link SocketTimeoutException} once one has waited
     * longer than the timeout for data: the watchdog closes the body under the blocked read
     * (which drops the connection). Time the reader spends elsewhere (writing, hashing) does not
     * count.
     */
    static final class Body extends FilterInputStream {
        private final Duration timeout;
        private final String from;
        private volatile long readingSince; // System.nanoTime() at the start of the blocked read; 0 outside reads
        private volatile boolean timedOut;
        private ScheduledFuture<?> watch; // guarded by this
        private boolean stopped; // guarded by this: at EOF, on an error or close; never watched again

        /** @param from who is silent, for the message ({@code 127.0.0.1:5000}) */
        Body(InputStream in, Duration timeout, String from) {
            super(in);
            this.timeout = timeout;
            this.from = from;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (timedOut) {
                throw timeout();
            }
            startWatching();
            readingSince = System.nanoTime() | 1;
            try {
                int n = in.read(b, off, len);
                if (n < 0) {
                    stopWatching();
                }
                return n;
            } catch (IOException e) {
                stopWatching();
                throw timedOut ? timeout() : e;
            } finally {
                readingSince = 0;
            }
        }

        /** Reads what is skipped, so that a stall while skipping times out too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(n, 1))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public void close() throws IOException {
            stopWatching();
            in.close();
        }

        private void check() {
            long since = readingSince;
            if (since != 0 && System.nanoTime() - since > timeout.toNanos()) {
                timedOut = true;
                stopWatching();
                try {
                    in.close(); // wakes the blocked read, which then throws
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }

        private synchronized void startWatching() {
            if (watch == null && !stopped) {
                watch = every(timeout, this::check);
            }
        }

        private synchronized void stopWatching() {
            stopped = true;
            if (watch != null) {
                watch.cancel(false);
                watch = null;
            }
        }

        private SocketTimeoutException timeout() {
            return new SocketTimeoutException("read timeout: no data from " + from + " for " + words(timeout));
        }
    }
}
