package dev.berth.engine.network.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;

/** One served address: its UDP socket and TCP listening socket on the same port, and who may ask. */
record Listener(InetSocketAddress bound, AskerScope scope, DatagramChannel udp, ServerSocketChannel tcp) {

    void closeQuietly() {
        closeQuietly(udp);
        closeQuietly(tcp);
    }

    static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
