package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP layer over a real unix socket: headers, versions, errors, streaming and hijack. */
class ApiServerTest {
    @TempDir
    static Path dir;
    static Daemon daemon;
    static Path socket;
    /** Holds every /test/hold request until counted down. */
    static volatile CountDownLatch held = new CountDownLatch(0);
    static volatile CountDownLatch holding = new CountDownLatch(0);

    @BeforeAll
    static void start() {
        daemon = TestDaemons.start(dir, router -> router
                .post("/test/json", call -> call.json(Map.of("got", call.jsonBody())))
                .get("/test/hold", call -> {
                    holding.countDown();
                    held.await();
                    call.json(Map.of("thread", Thread.currentThread().isVirtual() ? "virtual" : "platform"));
                })
                .getInline("/test/inline/fail", call -> {
                    throw BerthException.notFound("No such thing: x");
                })
                .getInline("/test/inline/stream", call -> call.streamJson().write(Map.of("n", 1L)))
                .getInline("/test/inline/body", call -> call.json(Map.of("got", call.jsonBody())))
                .getInline("/test/inline/silent", call -> { })
                .getInline("/test/inline/twice", call -> {
                    call.json(Map.of("n", 1L));
                    call.json(Map.of("n", 2L));
                })
                .getInline("/test/inline/when", call -> !call.flag("slow"),
                        call -> call.json(Map.of("thread", Thread.currentThread().isVirtual() ? "virtual" : "platform")))
                .get("/test/names/{name*}/json", call -> call.json(Map.of("name", call.path("name"))))
                .get("/test/fail", call -> {
                    throw BerthException.notFound("No such image: busybox:latest");
                })
                .get("/test/conflict", call -> {
                    throw BerthException.conflict("conflict: unable to delete x (must be forced)");
                })
                .get("/test/boom", call -> {
                    throw new IllegalStateException("a bug");
                })
                .get("/test/stream", call -> {
                    JsonLines lines = call.streamJson();
                    for (int i = 0; i < 3; i++) {
                        lines.write(Map.of("n", (long) i));
                        Thread.sleep(50);
                    }
                })
                .post("/test/echo", call -> call.hijack(stream -> {
                    // echo until the client shuts its write side, then say goodbye on ours: half-close kept
                    InputStream in = stream.input();
                    OutputStream out = stream.output();
                    byte[] buf = new byte[4096];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        total += n;
                    }
                    out.write(("bye after " + total + " bytes\n").getBytes(StandardCharsets.UTF_8));
                    stream.closeWrite();
                })));
        socket = TestDaemons.socket(dir);
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    @Test
    void pingCarriesTheHeadersTheCliReads() throws Exception {
        RawHttp.Response head = RawHttp.call(socket, "HEAD", "/_ping");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Api-Version")).isEqualTo("1.47");
        assertThat(head.header("Docker-Experimental")).isEqualTo("false");
        assertThat(head.header("Ostype")).isEqualTo("linux");
        assertThat(head.header("Server")).startsWith("berth/");
        assertThat(head.header("Builder-Version")).isEqualTo("1");
        assertThat(head.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
        assertThat(head.header("Pragma")).isEqualTo("no-cache");
        assertThat(head.header("Content-Length")).isEqualTo("0");

        RawHttp.Response get = RawHttp.call(socket, "GET", "/v1.41/_ping");
        assertThat(get.text()).isEqualTo("OK");
        assertThat(get.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void inlineRoutesAnswerWhileEveryRequestThreadIsBlocked() throws Exception {
        int blocked = ApiHandler.PLATFORM_ROUTE_THREADS + 4;
        held = new CountDownLatch(1);
        holding = new CountDownLatch(blocked);
        ExecutorService clients = Executors.newFixedThreadPool(blocked);
        try {
            List<Future<RawHttp.Response>> holds = new ArrayList<>();
            for (int i = 0; i < blocked; i++) {
                holds.add(clients.submit(() -> RawHttp.call(socket, "GET", "/test/hold")));
            }
            // every platform thread for routes is taken, and the rest went to virtual threads: none waits in a queue
            assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();
            // the calls the CLI starts with are answered where they are read, and a blocking route still finds a thread
            assertThat(RawHttp.call(socket, "HEAD", "/_ping").status()).isEqualTo(200);
            assertThat(RawHttp.call(socket, "GET", "/v1.47/version").status()).isEqualTo(200);
            assertThat(RawHttp.call(socket, "POST", "/test/json", "application/json", "{}".getBytes()).status()).isEqualTo(200);
            // an inline route runs on the selector (a platform thread) unless its predicate sends the call to a
            // request thread, which is now a virtual one
            assertThat(Json.parse(RawHttp.call(socket, "GET", "/test/inline/when").text())).isEqualTo(Map.of("thread", "platform"));
            assertThat(Json.parse(RawHttp.call(socket, "GET", "/test/inline/when?slow=1").text())).isEqualTo(Map.of("thread", "virtual"));
            held.countDown();
            List<String> threads = new ArrayList<>();
            for (Future<RawHttp.Response> hold : holds) {
                RawHttp.Response r = hold.get(20, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                threads.add(r.text());
            }
            assertThat(threads).filteredOn(t -> t.contains("platform")).hasSize(ApiHandler.PLATFORM_ROUTE_THREADS);
            assertThat(threads).filteredOn(t -> t.contains("virtual")).hasSize(blocked - ApiHandler.PLATFORM_ROUTE_THREADS);
        } finally {
            held.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void anInlineRoutesErrorsAreMappedAsAnyOther() throws Exception {
        RawHttp.Response r = RawHttp.call(socket, "GET", "/v1.47/test/inline/fail");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("{\"message\":\"No such thing: x\"}\n");
        assertThat(r.header("Api-Version")).isEqualTo("1.47");
    }

    @Test
    void anInlineRouteThatWouldWaitIsRefusedAndTheDaemonGoesOn() throws Exception {
        for (String path : List.of("/test/inline/stream", "/test/inline/body", "/test/inline/silent")) {
            RawHttp.Response r = RawHttp.call(socket, "GET", path);
            assertThat(r.status()).as(path).isEqualTo(500);
            assertThat(r.text()).as(path).contains("inline");
        }
        // a second answer is refused after the first went out: the client gets the first, whole
        RawHttp.Response twice = RawHttp.call(socket, "GET", "/test/inline/twice");
        assertThat(twice.status()).isEqualTo(200);
        assertThat(twice.text()).isEqualTo("{\"n\":1}\n");
        try (RawHttp http = new RawHttp(socket)) {
            assertThat(http.exchange("GET", "/_ping", Map.of(), null).text()).isEqualTo("OK");
            assertThat(http.exchange("GET", "/test/inline/twice", Map.of(), null).status()).isEqualTo(200);
            assertThat(http.exchange("GET", "/_ping", Map.of(), null).text()).isEqualTo("OK");
        }
    }

    @Test
    void anErrorBeforeTheBodyArrivedSaysTheConnectionCloses() throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            // the head promises 5 bytes that never come: Jetty closes the connection after the answer
            http.send("POST", "/v1.47/nope", Map.of("Content-Length", "5"), null);
            RawHttp.Response r = http.readResponse(false);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Connection")).isEqualTo("close");
        }
        try (RawHttp http = new RawHttp(socket)) {
            // the whole body came with the head: read and dropped, the connection stays
            RawHttp.Response r = http.exchange("POST", "/v1.47/nope", Map.of(), "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Connection")).isNull();
            assertThat(http.exchange("GET", "/_ping", Map.of(), null).text()).isEqualTo("OK");
        }
    }

    @Test
    void versionsAreNegotiatedWithDockersWords() throws Exception {
        assertThat(RawHttp.call(socket, "GET", "/v1.47/version").status()).isEqualTo(200);
        assertThat(RawHttp.call(socket, "GET", "/v1.24/version").status()).isEqualTo(200);
        RawHttp.Response tooNew = RawHttp.call(socket, "GET", "/v1.99/version");
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(tooNew.text()).isEqualTo("{\"message\":\"client version 1.99 is too new. Maximum supported API version is 1.47\"}\n");
        RawHttp.Response tooOld = RawHttp.call(socket, "GET", "/v1.12/version");
        assertThat(tooOld.status()).isEqualTo(400);
        assertThat(tooOld.text()).contains("client version 1.12 is too old. Minimum supported API version is 1.24");
    }

    @Test
    void unknownRoutesAndMethodsArePageNotFound() throws Exception {
        for (String[] req : List.of(new String[] {"GET", "/nope"}, new String[] {"POST", "/version"},
                new String[] {"GET", "/vx/version"}, new String[] {"GET", "/v1.47/nope"})) {
            RawHttp.Response r = RawHttp.call(socket, req[0], req[1]);
            assertThat(r.status()).as(req[0] + " " + req[1]).isEqualTo(404);
            assertThat(r.text()).isEqualTo("{\"message\":\"page not found\"}\n");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        }
    }

    @Test
    void errorsMapToStatusesOnce() throws Exception {
        RawHttp.Response notFound = RawHttp.call(socket, "GET", "/test/fail");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(Json.parse(notFound.text())).isEqualTo(Map.of("message", "No such image: busybox:latest"));
        assertThat(RawHttp.call(socket, "GET", "/test/conflict").status()).isEqualTo(409);
        RawHttp.Response bug = RawHttp.call(socket, "GET", "/test/boom");
        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.text()).contains("a bug");
    }

    @Test
    void malformedJsonIsA400SayingWhere() throws Exception {
        RawHttp.Response ok = RawHttp.call(socket, "POST", "/test/json", "application/json", "{\"a\":[1,2]}".getBytes());
        assertThat(ok.text()).isEqualTo("{\"got\":{\"a\":[1,2]}}\n");
        RawHttp.Response bad = RawHttp.call(socket, "POST", "/test/json", "application/json", "{\"a\":[1,2}".getBytes());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).startsWith("{\"message\":\"request body: malformed JSON at line 1, column 10");
        RawHttp.Response empty = RawHttp.call(socket, "POST", "/test/json", "application/json", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.text()).contains("empty document");
    }

    @Test
    void pathParametersMayHoldSlashes() throws Exception {
        RawHttp.Response r = RawHttp.call(socket, "GET", "/v1.47/test/names/localhost:5000/a/b:tag/json");
        assertThat(Json.parse(r.text())).isEqualTo(Map.of("name", "localhost:5000/a/b:tag"));
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.exchange("GET", "/_ping", Map.of(), null).text()).isEqualTo("OK");
            }
        }
    }

    @Test
    void streamsArriveChunkedLineByLine() throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            http.send("GET", "/test/stream", Map.of(), null);
            RawHttp.Response head = http.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Content-Type")).isEqualTo("application/json");
            StringBuilder all = new StringBuilder();
            int chunks = 0;
            for (byte[] c = http.nextChunk(); c != null; c = http.nextChunk()) {
                all.append(new String(c, StandardCharsets.UTF_8));
                chunks++;
            }
            assertThat(all.toString()).isEqualTo("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
            assertThat(chunks).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void hijackIsFullDuplexAndKeepsHalfClose() throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            http.send("POST", "/v1.47/test/echo", Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
            RawHttp.Response up = http.readResponse(false);
            assertThat(up.status()).isEqualTo(101);
            assertThat(up.header("Connection")).isEqualToIgnoringCase("Upgrade");
            assertThat(up.header("Upgrade")).isEqualTo("tcp");
            assertThat(up.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            // full duplex: each write comes back before the next one is sent
            for (String word : List.of("hello ", "raw ", "world")) {
                http.output().write(word.getBytes(StandardCharsets.UTF_8));
                http.output().flush();
                assertThat(new String(http.input().readNBytes(word.length()), StandardCharsets.UTF_8)).isEqualTo(word);
            }
            // half-close: we shut our side, the daemon still writes, then closes
            http.shutdownOutput();
            assertThat(new String(http.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye after 15 bytes\n");
        }
    }

    @Test
    void hijackTakesBytesSentRightAfterTheRequest() throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            // the client does not wait for the 101 before it writes (docker run -i with piped stdin can do this)
            byte[] request = ("POST /test/echo HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly").getBytes();
            http.output().write(request);
            http.output().flush();
            http.shutdownOutput();
            assertThat(http.readResponse(false).status()).isEqualTo(101);
            assertThat(new String(http.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("earlybye after 5 bytes\n");
        }
    }

    @Test
    void aBlankHostAsDocker2010SendsOnHijacksIsAccepted() throws Exception {
        try (RawHttp http = new RawHttp(socket)) {
            http.output().write("POST /v1.41/test/echo HTTP/1.1\r\nHost: \r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            http.output().flush();
            assertThat(http.readResponse(false).status()).isEqualTo(101);
            http.shutdownOutput();
            assertThat(new String(http.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye after 0 bytes\n");
        }
    }

    @Test
    void hijackWithoutUpgradeHeadersIsRefused() throws Exception {
        RawHttp.Response r = RawHttp.call(socket, "POST", "/test/echo");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("Upgrade: tcp");
    }

    @Test
    void socketIsRootOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        assertThat(Files.getAttribute(socket, "unix:gid")).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:gid"));
    }
}
