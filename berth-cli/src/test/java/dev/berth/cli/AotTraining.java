package dev.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for bin/berth's AOT cache (scripts/build-aot-cli.sh): the common commands
 * through Main, once each, against a canned daemon on a unix socket, so that the classes they
 * load (picocli, Jetty's client, the JSON codec, templates, BouncyCastle for tls init) are in
 * the cache. The canned daemon is a few lines of socket code, good for nothing but this.
 */
public final class AotTraining {
    private static final Map<String, String> BODIES = Map.of(
            "/v1.47/images/json", "[{\"Containers\":-1,\"Created\":1700000000,\"Id\":\"sha256:"
                    + "0".repeat(64) + "\",\"RepoTags\":[\"a:1\"],\"RepoDigests\":[],\"SharedSize\":-1,\"Size\":1234,"
                    + "\"VirtualSize\":1234}]",
            "/v1.47/images/a:1/history", "[{\"Id\":\"sha256:" + "0".repeat(64) + "\",\"Created\":1700000000,"
                    + "\"CreatedBy\":\"/bin/sh\",\"Size\":1234,\"Comment\":\"\",\"Tags\":[\"a:1\"]}]",
            "/v1.47/images/a:1/json", "{\"Id\":\"sha256:" + "0".repeat(64) + "\",\"RepoTags\":[\"a:1\"],\"Size\":1234}",
            "/v1.47/version", "{\"Version\":\"x\",\"ApiVersion\":\"1.47\",\"Components\":[{\"Name\":\"Engine\","
                    + "\"Version\":\"x\",\"Details\":{\"ApiVersion\":\"1.47\"}}]}",
            "/v1.47/info", "{\"Containers\":0,\"Images\":1,\"Driver\":\"overlay\",\"OSType\":\"linux\",\"NCPU\":2,"
                    + "\"MemTotal\":1000000}",
            "/v1.47/system/df", "{\"LayersSize\":1234,\"Images\":[],\"Containers\":[],\"Volumes\":[],\"BuildCache\":[]}");

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("berth-aot-");
        Path socket = dir.resolve("d.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread daemon = Thread.ofPlatform().daemon().start(() -> serve(server));
        String host = "unix://" + socket;
        String[][] runs = {
            {"--help"}, {"images", "--help"}, {"-H", host, "version"}, {"-H", host, "info"},
            {"-H", host, "images"}, {"-H", host, "images", "-q"}, {"-H", host, "images", "--format", "{{json .}}"},
            {"-H", host, "images", "--format", "table {{.Repository}}\\t{{.Size}}"},
            {"-H", host, "history", "a:1"}, {"-H", host, "image", "inspect", "a:1"}, {"-H", host, "system", "df"},
            {"-H", host, "rmi", "nope"}, {"-H", "unix://" + dir.resolve("none.sock"), "images"},
            {"images", "--nope"}, {"tls", "init", "--dir", dir.resolve("tls").toString()},
            // the container commands: flags into a create body, the missing-image path, a failed inspect
            {"run", "--help"}, {"-H", host, "run", "-m", "x", "busybox"},
            {"-H", host, "run", "--rm", "-e", "A=1", "-v", "/a:/b", "--cpus", "1.5", "nope", "sh"},
            {"-H", host, "logs", "nope"}, {"-H", host, "exec", "nope", "true"},
        };
        for (String[] run : runs) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
            try (Cli cli = new Cli(InputStream.nullInputStream(), out, out, Map.of(), Clock.systemUTC(),
                    ZoneId.systemDefault(), fd -> false)) {
                Main.run(cli, run);
            }
        }
        server.close();
        daemon.join(1000);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofPlatform().daemon().start(() -> answer(channel));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers requests on one connection until the client closes it (keep-alive, as Jetty expects). */
    private static void answer(SocketChannel channel) {
        try (channel; InputStream in = Channels.newInputStream(channel);
                OutputStream out = Channels.newOutputStream(channel)) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] requestLine = head.split("\r\n", 2)[0].split(" ");
                String method = requestLine[0];
                String path = requestLine[1].split("\\?")[0];
                String body = BODIES.get(path);
                int status = path.equals("/_ping") ? 200 : body == null ? 404 : 200;
                if (body == null) {
                    body = path.equals("/_ping") ? "OK" : "{\"message\":\"No such image: nope:latest\"}";
                }
                byte[] bytes = method.equals("HEAD") ? new byte[0] : (body + "\n").getBytes(StandardCharsets.UTF_8);
                String response = "HTTP/1.1 " + status + " X\r\nApi-Version: 1.47\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + (method.equals("HEAD") ? 0 : bytes.length) + "\r\n\r\n";
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }
}
