package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Java end of the sync channel to berth-init: framed messages {u32 type, u32 len, payload}.
 * Types match the MSG_ enum in berth-init.c. The transport is a socket (fd mode) or two pipes
 * (pipe mode); either way it is a pair of streams here.
 */
public final class SyncChannel implements AutoCloseable {
    public static final int PLAN = 1;
    public static final int PID = 2;
    public static final int GO = 3;
    public static final int READY = 4;
    public static final int START = 5;
    public static final int ERROR = 6;
    /** The init has made the container's mounts: run prestart and createRuntime hooks, then GO. */
    public static final int HOOKS = 7;

    /** A received message. */
    public record Message(int type, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int asInt() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable onClose;
    private boolean closed;

    public SyncChannel(InputStream in, OutputStream out, AutoCloseable onClose) {
        this.in = in;
        this.out = out;
        this.onClose = onClose;
    }

    public void send(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(payload.length).put(payload);
        try {
            out.write(b.array());
            out.flush();
        } catch (IOException e) {
            throw BerthException.internal("berth-init is gone: " + e.getMessage(), e);
        }
    }

    /** The next message, or empty at end of stream (for a container's process: it called execve). */
    public Optional<Message> receive() {
        try {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                return Optional.empty();
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int type = h.getInt();
            int len = h.getInt();
            if (len < 0 || len > (64 << 20)) {
                throw BerthException.internal("berth-init sent a message of " + len + " bytes");
            }
            byte[] payload = in.readNBytes(len);
            if (payload.length < len) {
                throw BerthException.internal("berth-init closed the sync channel mid-message");
            }
            return Optional.of(new Message(type, payload));
        } catch (IOException e) {
            throw BerthException.internal("read from berth-init: " + e.getMessage(), e);
        }
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

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                onClose.close();
            } catch (Exception ignored) {
                // closing a dead channel
            }
        }
    }
}
