package dev.berth.daemon.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that hangs up during a long streamed response with nothing to write (an
 * /events stream on a quiet daemon), which would otherwise be found out only by the next write.
 * Jetty does not read a connection while its request is being handled, so this asks to be told
 * when the socket becomes readable: end of input means the client left. A client that sends
 * bytes in the middle of such a response is misusing the connection; it is closed, as the
 * bytes cannot be given back to Jetty's parser.
 */
public final class ClientWatch implements AutoCloseable {
    private final EndPoint endPoint;
    private final Runnable onGone;
    private final Callback readable = new Callback() {
        @Override
        public void succeeded() {
            check();
        }

        @Override
        public void failed(Throwable x) {
            if (!closed) {
                leave();
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING; // a non-blocking read and a flag: fine on the selector
        }
    };
    private volatile boolean gone;
    private volatile boolean closed;

    ClientWatch(EndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
        arm();
    }

    /** Asks once more; if Jetty reads this connection already, it sees a hang-up itself. */
    private void arm() {
        if (!closed && !gone) {
            endPoint.tryFillInterested(readable);
        }
    }

    private void check() {
        if (closed) {
            return;
        }
        ByteBuffer one = BufferUtil.allocate(1);
        try {
            int n = endPoint.fill(one);
            if (n == 0) {
                arm();
                return;
            }
            if (n > 0) {
                endPoint.close();
            }
        } catch (IOException e) {
            // a reset connection is gone too
        }
        leave();
    }

    private void leave() {
        gone = true;
        onGone.run();
    }

    /** Whether the client has closed its end (or the connection failed). */
    public boolean gone() {
        return gone || !endPoint.isOpen();
    }

    /** Stops watching, so that Jetty can read the connection's next request. */
    @Override
    public void close() {
        closed = true;
        if (endPoint.isFillInterested() && endPoint instanceof AbstractEndPoint ep) {
            ep.getFillInterest().onFail(new CancellationException("response complete"));
        }
    }
}
