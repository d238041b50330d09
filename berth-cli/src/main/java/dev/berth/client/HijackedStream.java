package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection the daemon upgraded to a raw, full-duplex byte stream (attach, exec start): read
 * the container's output from {@link #input()}, write its stdin to {@link #output()}, and
 * {@link #closeWrite()} at the end of stdin so that the daemon sees EOF while output still flows.
 */
public interface HijackedStream extends AutoCloseable {
    /** The response's Content-Type (docker's raw-stream or multiplexed-stream), or null. */
    String contentType();

    InputStream input();

    OutputStream output();

    /** Half-closes: no more stdin; the output side stays open. */
    void closeWrite() throws IOException;

    @Override
    void close();
}
