package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Java end of the socket to berth-init: framed messages {u32 type, u32 len, payload}.
 * Types match the MSG_ enum in berth-init.c.
 */
public final class SyncChannel implements AutoCloseable {
    public static final int PLAN = 1;
    public static final int PID = 2;
    public static final int GO = 3;
    public static final int READY = 4;
    public static final int START = 5;
    public static final int ERROR = 6;

    /** A received message; type 0 means the other end closed (for the init: exec succeeded). */
    public record Message(int type, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int asInt() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
    }

    private final Syscalls sys;
    private final int fd;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean closed;

    public SyncChannel(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    public void send(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(payload.length).put(payload);
        sys.writeAll(fd, b.array());
    }

    /** The next message, or empty at end of stream. */
    public Optional<Message> receive() {
        byte[] header = readExactly(8);
        if (header == null) {
            return Optional.empty();
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt();
        int len = h.getInt();
        if (len < 0 || len > (64 << 20)) {
            throw BerthException.internal("berth-init sent a message of " + len + " bytes");
        }
        byte[] payload = len == 0 ? new byte[0] : readExactly(len);
        if (payload == null) {
            throw BerthException.internal("berth-init closed the sync socket mid-message");
        }
        return Optional.of(new Message(type, payload));
    }

    /** Receives one message and requires its type; an ERROR becomes the exception it names. */
    public Message expect(int type, String during) {
        Message m = receive().orElseThrow(() ->
                BerthException.internal("berth-init exited without a word " + during));
        if (m.type() == ERROR) {
            throw BerthException.internal(m.text());
        }
        if (m.type() != type) {
            throw BerthException.internal("berth-init sent message " + m.type() + " " + during + ", expected " + type);
        }
        return m;
    }

    private byte[] readExactly(int n) {
        byte[] buffered = pending.toByteArray();
        ByteArrayOutputStream acc = new ByteArrayOutputStream(n);
        acc.writeBytes(buffered);
        pending.reset();
        while (acc.size() < n) {
            byte[] chunk = sys.read(fd, Math.max(4096, n - acc.size()));
            if (chunk.length == 0) {
                if (acc.size() == 0) {
                    return null;
                }
                return null;
            }
            acc.writeBytes(chunk);
        }
        byte[] all = acc.toByteArray();
        if (all.length > n) {
            pending.write(all, n, all.length - n);
        }
        byte[] out = new byte[n];
        System.arraycopy(all, 0, out, 0, n);
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sys.close(fd);
        }
    }
}
