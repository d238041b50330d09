package dev.berth.engine.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * One client's TCP connection (RFC 1035 section 4.2.2, RFC 7766): two-byte length, message,
 * repeated; answered in order on the connection's virtual thread. A malformed message, an
 * idle client or too many queries end the connection.
 */
final class TcpDnsSession implements Runnable {
    private static final System.Logger LOG = System.getLogger(TcpDnsSession.class.getName());
    private static final int MAX_QUERIES = 100;

    private final SocketChannel channel;
    private final QueryAnswerer answerer;
    private final Duration idle;

    TcpDnsSession(SocketChannel channel, QueryAnswerer answerer, Duration idle) {
        this.channel = channel;
        this.answerer = answerer;
        this.idle = idle;
    }

    @Override
    public void run() {
        try (channel) {
            channel.configureBlocking(true);
            Socket socket = channel.socket();
            socket.setSoTimeout((int) idle.toMillis());
            InetAddress asker = socket.getInetAddress();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] buffer = new byte[DnsReply.TCP_LIMIT];
            for (int i = 0; i < MAX_QUERIES; i++) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return; // the client is done
                }
                in.readFully(buffer, 0, length);
                Optional<DnsQuery> parsed = DnsQuery.parse(buffer, length);
                if (parsed.isEmpty()) {
                    return;
                }
                Optional<byte[]> answered = answerer.answer(parsed.get(), asker, true);
                if (answered.isEmpty()) {
                    return; // overloaded: closing tells the client at once, unlike silence
                }
                byte[] reply = answered.get();
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "dns: tcp connection ended: {0}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dns: tcp connection failed", e);
        }
    }
}
