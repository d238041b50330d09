package dev.berth.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry in a test for the faults a real one will not make on demand: a blob whose
 * connection drops after some bytes (once), a blob served with other bytes, a Bearer token
 * flow with its token endpoint, a redirect of blobs to another host, a blob response or an
 * upload that stalls. Serves what pull reads (/v2/, manifests and blobs by GET/HEAD, with Range)
 * and a minimal upload (POST, then PUT or PATCH + PUT with the digest; manifest PUT).
 */
public final class FakeRegistry implements AutoCloseable {
    public final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    public final Map<String, String[]> manifests = new ConcurrentHashMap<>(); // ref → {mediaType, body}
    public final Map<Digest, Integer> dropOnceAfter = new ConcurrentHashMap<>();
    public final Set<Digest> corrupt = ConcurrentHashMap.newKeySet();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final AtomicInteger tokensIssued = new AtomicInteger();
    /** When set, every /v2/ request needs "Bearer <issued token>"; the token endpoint wants these Basic credentials. */
    public volatile String bearerUser;
    public volatile String bearerPassword;
    public volatile long tokenLifetimeSeconds = 300;
    /** When set, blob GETs redirect to this base URL (another host: no credentials must follow). */
    public volatile String blobRedirect;
    /** Blob GETs that wait at a {@link Gate} before any byte is sent. */
    private final Map<Digest, Gate> gates = new ConcurrentHashMap<>();
    /** Blobs whose GET sends its headers and this many bytes, then stalls until the registry is closed. */
    public final Map<Digest, Integer> stallAfter = new ConcurrentHashMap<>();
    /** Like {@link #stallAfter}, for the first GET (from byte 0) only: a resume gets the rest. */
    public final Map<Digest, Integer> stallOnceAfter = new ConcurrentHashMap<>();
    /** When set, upload PUTs and PATCHes neither read their body nor answer until the registry is closed. */
    public volatile boolean stallUploads;
    public final Map<String, byte[]> pushedManifests = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    /** A point a request waits at: the test learns it {@link #arrived} and decides when it goes on. */
    public static final class Gate {
        private final java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        /** Waits (at most 30 s) until a request reached the gate. */
        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("no request reached the gate");
            }
        }

        public void release() {
            released.countDown();
        }

        void pass() throws IOException {
            arrived.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                throw new IOException("interrupted at the gate", e);
            }
        }
    }

    /** Makes GETs of {@code blob} wait at the returned gate until it is released (or the registry closed). */
    public Gate gate(Digest blob) {
        Gate g = new Gate();
        gates.put(blob, g);
        return g;
    }

    private final HttpServer server;
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();

    public FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Forgets every token issued: the next request with one is refused with 401. */
    public void revokeTokens() {
        validTokens.clear();
    }

    public String domain() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(TestImage image, String tag) {
        blobs.put(Digest.sha256(image.config()), image.config());
        for (byte[] l : image.layers()) {
            blobs.put(Digest.sha256(l), l);
        }
        manifest(tag, image.manifestType(), image.manifest());
        manifest(image.manifestDigest().toString(), image.manifestType(), image.manifest());
    }

    public void manifest(String ref, String mediaType, byte[] body) {
        manifests.put(ref, new String[] {mediaType, new String(body, StandardCharsets.ISO_8859_1)});
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            requests.add(method + " " + path + rangeOf(ex));
            if (path.equals("/token")) {
                token(ex);
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(method + " " + path + " " + (auth == null ? "-" : auth.split(" ")[0]));
            if (bearerUser != null && (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7)))) {
                String repo = path.startsWith("/v2/") && path.length() > 4 ? path.substring(4).replaceAll("/(manifests|blobs)/.*$", "") : "";
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + domain() + "/token\",service=\"fake\""
                        + (repo.isEmpty() ? "" : ",scope=\"repository:" + repo + ":pull\""));
                error(ex, 401, "UNAUTHORIZED", "authentication required");
                return;
            }
            if (path.equals("/v2/")) {
                send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), method);
                return;
            }
            int u = path.indexOf("/blobs/uploads/");
            if (u > 0) {
                upload(ex, path, method);
                return;
            }
            int m = path.indexOf("/manifests/");
            if (m > 0 && method.equals("PUT")) {
                byte[] body = ex.getRequestBody().readAllBytes();
                pushedManifests.put(path.substring(m + "/manifests/".length()), body);
                ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(body).toString());
                ex.sendResponseHeaders(201, -1);
                return;
            }
            if (m > 0) {
                String[] found = manifests.get(path.substring(m + "/manifests/".length()));
                if (found == null) {
                    error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
                    return;
                }
                byte[] body = found[1].getBytes(StandardCharsets.ISO_8859_1);
                ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(body).toString());
                send(ex, 200, found[0], body, method);
                return;
            }
            int b = path.indexOf("/blobs/");
            if (b > 0) {
                blob(ex, Digest.parse(path.substring(b + "/blobs/".length())), method);
                return;
            }
            error(ex, 404, "UNSUPPORTED", "not served by the fake");
        }
    }

    private void blob(HttpExchange ex, Digest d, String method) throws IOException {
        byte[] content = blobs.get(d);
        if (content == null) {
            error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        if (blobRedirect != null && !ex.getRequestURI().toString().contains("redirected=1")) {
            ex.getResponseHeaders().add("Location", blobRedirect + ex.getRequestURI().getPath() + "?redirected=1");
            ex.sendResponseHeaders(307, -1);
            return;
        }
        if (corrupt.contains(d)) {
            content = content.clone();
            content[content.length / 2] ^= 0x55;
        }
        long from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Long.parseLong(range.substring(6, range.length() - 1));
        }
        int length = (int) (content.length - from);
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().add("Docker-Content-Digest", d.toString());
        if (from > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        if (method.equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", Integer.toString(content.length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        Gate gate = gates.get(d);
        if (gate != null) {
            gate.pass();
        }
        ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        Integer stall = from == 0 ? stallOnceAfter.remove(d) : null;
        if (stall == null) {
            stall = stallAfter.get(d);
        }
        if (stall != null) {
            int n = (int) Math.max(0, Math.min(length, stall - from));
            out.write(content, (int) from, n);
            out.flush();
            try {
                closing.await(); // headers and some bytes sent, then nothing: a stalled registry
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the stalled response ends with the registry");
        }
        Integer drop = from == 0 ? dropOnceAfter.remove(d) : null;
        if (drop != null) {
            out.write(content, 0, drop);
            out.flush();
            // a dropped connection: close the socket under the half-sent response
            throw new IOException("dropping the connection on purpose");
        }
        out.write(content, (int) from, length);
    }

    private final Map<String, java.io.ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();

    private void upload(HttpExchange ex, String path, String method) throws IOException {
        if (method.equals("POST")) {
            String id = java.util.UUID.randomUUID().toString();
            uploads.put(id, new java.io.ByteArrayOutputStream());
            ex.getResponseHeaders().add("Location", path + id);
            ex.sendResponseHeaders(202, -1);
            return;
        }
        if (method.equals("DELETE")) {
            uploads.remove(path.substring(path.lastIndexOf('/') + 1));
            ex.sendResponseHeaders(204, -1);
            return;
        }
        if (stallUploads) {
            try {
                closing.await(); // the body unread, no answer: a stalled registry
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the stalled upload ends with the registry");
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        java.io.ByteArrayOutputStream data = uploads.get(id);
        if (data == null) {
            error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        data.write(ex.getRequestBody().readAllBytes());
        if (method.equals("PATCH")) {
            ex.getResponseHeaders().add("Location", path);
            ex.sendResponseHeaders(202, -1);
            return;
        }
        String query = ex.getRequestURI().getQuery();
        Digest digest = Digest.parse(query.substring(query.indexOf("digest=") + "digest=".length()).split("&")[0]);
        byte[] blob = data.toByteArray();
        if (!Digest.sha256(blob).equals(digest)) {
            error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
            return;
        }
        uploads.remove(id);
        blobs.put(digest, blob);
        ex.sendResponseHeaders(201, -1);
    }

    private void token(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("POST")) {
            // OAuth2 refresh_token grant: the identity token docker login stored
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tokenRequests.add("POST " + java.net.URLDecoder.decode(form, StandardCharsets.UTF_8));
            String refresh = java.util.Arrays.stream(form.split("&")).filter(p -> p.startsWith("refresh_token="))
                    .map(p -> java.net.URLDecoder.decode(p.substring("refresh_token=".length()), StandardCharsets.UTF_8))
                    .findFirst().orElse("");
            if (!form.contains("grant_type=refresh_token") || !refresh.startsWith("r-t-")) {
                error(ex, 401, "UNAUTHORIZED", "invalid refresh token");
                return;
            }
            String token = "t-" + tokensIssued.incrementAndGet();
            validTokens.add(token);
            send(ex, 200, "application/json", ("{\"access_token\":\"" + token + "\",\"expires_in\":" + tokenLifetimeSeconds + "}")
                    .getBytes(StandardCharsets.UTF_8), "POST");
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        tokenRequests.add(query == null ? "" : java.net.URLDecoder.decode(query, StandardCharsets.UTF_8));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String want = "Basic " + Base64.getEncoder().encodeToString((bearerUser + ":" + bearerPassword).getBytes(StandardCharsets.UTF_8));
        if (!want.equals(auth)) {
            error(ex, 401, "UNAUTHORIZED", "incorrect username or password");
            return;
        }
        String token = "t-" + tokensIssued.incrementAndGet();
        validTokens.add(token);
        String refresh = query != null && query.contains("offline_token=true") ? ",\"refresh_token\":\"r-" + token + "\"" : "";
        send(ex, 200, "application/json", ("{\"token\":\"" + token + "\",\"expires_in\":" + tokenLifetimeSeconds + refresh + "}")
                .getBytes(StandardCharsets.UTF_8), "GET");
    }

    private static String rangeOf(HttpExchange ex) {
        String r = ex.getRequestHeaders().getFirst("Range");
        return r == null ? "" : " " + r;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body, String method) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
        if (method.equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        closing.countDown();
        gates.values().forEach(Gate::release);
        server.stop(0);
    }
}
