package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiVersion;
import dev.berth.engine.logs.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Output to a client as docker sends it: for a container or exec without a terminal, docker's
 * multiplexed frames (an 8-byte header: stream 0 stdin, 1 stdout, 2 stderr; three zero bytes;
 * the payload's length as a big-endian uint32; then the payload); with a terminal, the bytes as
 * they are (a pty has one stream). The Engine API's "Stream format" in ContainerAttach.
 */
public final class StdFrames {
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    static final String RAW = "application/vnd.docker.raw-stream";

    /** What one frame carries at most; a line-by-line burst is gathered up to this. */
    static final int MAX_FRAME = 32 * 1024;

    private final OutputStream out;
    private final boolean multiplexed;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private int pendingStream = -1;

    public StdFrames(OutputStream out, boolean multiplexed) {
        this.out = out;
        this.multiplexed = multiplexed;
    }

    /** The header of one frame of {@code length} bytes on {@code stream}. */
    public static byte[] header(int stream, int length) {
        return new byte[] {(byte) stream, 0, 0, 0,
            (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    /**
     * The content type of a stream: API 1.42 and later name the multiplexed format; older
     * clients were always told raw-stream, whatever the payload (dockerd 20.10 does so).
     */
    static String contentType(boolean tty, ApiVersion version) {
        return !tty && version.atLeast(1, 42) ? MULTIPLEXED : RAW;
    }

    public void write(LogEntry entry) throws IOException {
        write(entry.stream() == LogEntry.Stream.STDERR ? STDERR : STDOUT, entry.line(), 0, entry.line().length);
    }

    /**
     * Queues bytes for the client: consecutive ones of one stream go out as one frame (and one
     * write) at the next {@link #flush}, or when the frame is full. The engine hands output over
     * line by line; a frame and a system call per line made `yes | head -c 20m` take half a minute.
     */
    public void write(int stream, byte[] bytes, int off, int len) throws IOException {
        if (len == 0) {
            return; // an empty frame says nothing, and some readers take it for the end
        }
        if (pending.size() > 0 && (stream != pendingStream || pending.size() + len > MAX_FRAME)) {
            emit();
        }
        pendingStream = stream;
        pending.write(bytes, off, len);
        if (pending.size() >= MAX_FRAME) {
            emit();
        }
    }

    /** Sends what is queued. */
    public void flush() throws IOException {
        emit();
        out.flush();
    }

    private void emit() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        byte[] payload = pending.toByteArray();
        pending.reset();
        if (multiplexed) {
            byte[] frame = new byte[8 + payload.length];
            System.arraycopy(header(pendingStream, payload.length), 0, frame, 0, 8);
            System.arraycopy(payload, 0, frame, 8, payload.length);
            out.write(frame); // one write: header and payload in one packet
        } else {
            out.write(payload);
        }
    }
}
