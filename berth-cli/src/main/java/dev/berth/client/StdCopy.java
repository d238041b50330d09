package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Docker's multiplexed stream, read: frames of an 8-byte header ({@code [stream, 0, 0, 0,
 * uint32 big-endian length]}) and a payload. Stream 0 (stdin, echoed) and 1 go to stdout, 2 to
 * stderr; 3 is an error from the daemon, which ends the copy as docker's stdcopy does.
 */
public final class StdCopy {
    private StdCopy() {}

    /** The daemon sent a stream-3 frame. */
    public static final class StreamError extends IOException {
        private static final long serialVersionUID = 1L;

        StreamError(String message) {
            super(message);
        }
    }

    /**
     * Copies until the end of {@code in}; each payload is flushed as it arrives.
     *
     * @return the number of payload bytes written
     * @throws StreamError for a daemon error frame ("error from daemon in stream: …")
     * @throws IOException for a frame with an unknown stream or a read/write failure
     */
    public static long demultiplex(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buffer = new byte[32 * 1024];
        long total = 0;
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) {
                return total;
            }
            if (got < 8) {
                throw new IOException("unexpected EOF in a stream frame header");
            }
            int stream = header[0] & 0xff;
            long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16) | ((header[6] & 0xffL) << 8)
                    | (header[7] & 0xffL);
            OutputStream target = switch (stream) {
                case 0, 1 -> stdout;
                case 2 -> stderr;
                case 3 -> null;
                default -> throw new IOException("Unrecognized input header: " + stream);
            };
            if (target == null) {
                byte[] message = in.readNBytes((int) Math.min(length, 1 << 20));
                throw new StreamError("error from daemon in stream: " + new String(message, StandardCharsets.UTF_8));
            }
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("unexpected EOF in a stream frame");
                }
                target.write(buffer, 0, n);
                left -= n;
            }
            target.flush();
            total += length;
        }
    }

    /** One frame's bytes (tests and fakes). */
    public static byte[] frame(int stream, byte[] payload) {
        byte[] out = new byte[8 + payload.length];
        out[0] = (byte) stream;
        out[4] = (byte) (payload.length >>> 24);
        out[5] = (byte) (payload.length >>> 16);
        out[6] = (byte) (payload.length >>> 8);
        out[7] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 8, payload.length);
        return out;
    }
}
