package dev.berth.daemon.api;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection that replaces Jetty's HTTP/1.1 connection on an endpoint after a 101: Jetty
 * hands the endpoint over (EndPoint.upgrade) once the 101 response is written, together with
 * any bytes the client sent after its request, and from then on the session owns the socket.
 */
final class HijackConnection extends AbstractConnection implements Connection.UpgradeTo {
    private static final Logger LOG = LoggerFactory.getLogger(HijackConnection.class);
    private final HijackSession session;
    private ByteBuffer early;

    HijackConnection(EndPoint endPoint, HijackSession session) {
        super(endPoint, Runnable::run);
        this.session = session;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (buffer != null && buffer.hasRemaining()) {
            early = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // a hijacked stream lives as long as the container or exec behind it
        getEndPoint().setIdleTimeout(0);
        Thread.ofVirtual().name("hijack").start(this::serve);
    }

    private void serve() {
        try (HijackedStream stream = new HijackedStream(getEndPoint(), early)) {
            session.run(stream);
        } catch (Exception e) {
            LOG.debug("hijacked stream ended: {}", e.toString());
        }
    }

    @Override
    public void onFillable() {
        // never asked for: the session's reads wait on the endpoint directly
    }
}
