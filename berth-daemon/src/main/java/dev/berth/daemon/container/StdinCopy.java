package dev.berth.daemon.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Copies what a hijacked client types or pipes into a container's or an exec's stdin, watching
 * for the detach keys when it is a terminal (docker's daemon does so only with a tty: without
 * one, the bytes are data). Says how it ended; what that means is the caller's business.
 */
final class StdinCopy {
    enum End {
        /** The client shut its write side (or hung up): end of input. */
        EOF,
        /** The client typed the detach keys. */
        DETACHED,
        /** The container's or exec's stdin refused the bytes: it is closed or the process is gone. */
        TARGET_CLOSED
    }

    private StdinCopy() {}

    static End copy(InputStream client, OutputStream target, Optional<DetachKeys> detachKeys) {
        Optional<DetachKeys.Scanner> scanner = detachKeys.map(DetachKeys::scanner);
        byte[] buf = new byte[32 * 1024];
        while (true) {
            int n;
            try {
                n = client.read(buf);
            } catch (IOException gone) {
                return End.EOF; // a reset or a closed connection: no more input either way
            }
            if (n < 0) {
                return End.EOF;
            }
            byte[] pass = buf;
            int len = n;
            if (scanner.isPresent()) {
                Optional<byte[]> typed = scanner.get().feed(buf, 0, n);
                if (typed.isEmpty()) {
                    return End.DETACHED;
                }
                pass = typed.get();
                len = pass.length;
            }
            try {
                target.write(pass, 0, len);
            } catch (IOException closed) {
                return End.TARGET_CLOSED;
            }
        }
    }
}
