package dev.berth.image.registry.push;

import dev.berth.image.registry.ProgressSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a layer upload reads and reports dockerd's {@code "Pushing"} with
 * current/total, every 512 KiB and at the end, as dockerd's progress reader does: the docker
 * CLI draws the bar from these.
 */
final class PushingProgress extends FilterInputStream {
    static final long EVERY = 512 * 1024;

    private final ProgressSink sink;
    private final String id;
    private final long total;
    private long count;
    private long reported;

    PushingProgress(InputStream in, ProgressSink sink, String id, long total) {
        super(in);
        this.sink = sink;
        this.id = id;
        this.total = total;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        advance(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        advance(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        advance(s);
        return s;
    }

    private void advance(long n) {
        if (n < 0) {
            if (count > reported) {
                report();
            }
            return;
        }
        count += n;
        if (count - reported >= EVERY) {
            report();
        }
    }

    private void report() {
        reported = count;
        sink.send(new ProgressSink.Progress(id, "Pushing", count, total));
    }
}
