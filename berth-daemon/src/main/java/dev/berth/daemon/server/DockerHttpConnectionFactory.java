package dev.berth.daemon.server;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 with one leniency docker needs: the docker 20.10 CLI sends {@code Host:}
 * with an empty value on its hijack requests (cli-conversation.md), which Jetty refuses as
 * "Blank Host" without a compliance switch to allow it. A blank Host is read as
 * {@code Host: localhost}; everything else is Jetty's own parsing.
 */
final class DockerHttpConnectionFactory extends HttpConnectionFactory {
    private static final HttpField LOCALHOST = new HostPortHttpField("localhost");

    DockerHttpConnectionFactory(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new LenientHostConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private static final class LenientHostConnection extends HttpConnection {
        LenientHostConnection(HttpConfiguration config, Connector connector, EndPoint endPoint) {
            super(config, connector, endPoint);
        }

        @Override
        protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
            return new HttpStreamOverHTTP1(method, uri, version) {
                @Override
                public void parsedHeader(HttpField field) {
                    boolean blankHost = field.getHeader() == HttpHeader.HOST
                            && (field.getValue() == null || field.getValue().isBlank());
                    super.parsedHeader(blankHost ? LOCALHOST : field);
                }
            };
        }
    }
}
