package dev.berth.daemon.api;

import dev.berth.daemon.BerthdVersion;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler in front of every route: strips and checks the {@code /v1.NN} prefix, adds
 * the headers dockerd puts on every answer, finds the route, runs it, and turns any failure into
 * {@code {"message": "…"}} with the status of its kind (once, here).
 *
 * <p>The handler itself never blocks, and says so to Jetty (NON_BLOCKING): Jetty then calls it
 * on the selector thread that read the request, with no hand-off. Routes registered inline
 * ({@link Router#getInline}: ping, version, the image list) are answered right there; every other
 * route is handed to a request thread ({@link RequestThreads}) and may block. Before, Jetty gave
 * every request to the selecting thread and woke another to go on selecting, and the thread that
 * answered then had to wake that one to listen for the connection's next request: most of the
 * time of a ping went into those hand-offs.
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** dockerd's router takes only digits and dots after the v; anything else is not a version prefix. */
    private static final Pattern VERSIONED = Pattern.compile("^/v([0-9.]+)(/.*)$");
    /**
     * Platform threads for blocking routes, out of the pool's 16: the rest are for the selectors
     * (one per listener) and the thread Jetty keeps in reserve.
     */
    static final int PLATFORM_ROUTE_THREADS = 12;

    private final Router router;
    private volatile Executor blocking;

    public ApiHandler(Router router) {
        super(Invocable.InvocationType.NON_BLOCKING);
        this.router = router;
    }

    @Override
    protected void doStart() throws Exception {
        ThreadPool pool = getServer().getThreadPool();
        Executor virtual = VirtualThreads.getVirtualThreadsExecutor(pool);
        if (virtual == null) {
            virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory());
        }
        blocking = new RequestThreads(pool, virtual, PLATFORM_ROUTE_THREADS);
        super.doStart();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        ApiVersion version = ApiVersion.MAX;
        ApiCall call = null;
        boolean headed = false;
        try {
            Matcher m = VERSIONED.matcher(path == null ? "" : path);
            if (m.matches()) {
                path = m.group(2);
                addCommonHeaders(response); // before the negotiation, so that its 400 carries them
                headed = true;
                version = ApiVersion.negotiate(m.group(1));
            }
            Optional<Router.Match> match = router.find(request.getMethod(), path == null ? "" : path);
            if (match.isEmpty()) {
                // dockerd answers unknown paths and methods alike, without its usual headers
                writeError(request, response, 404, "page not found", callback);
                return true;
            }
            if (!headed) {
                addCommonHeaders(response);
            }
            Route route = match.get().route();
            call = new ApiCall(request, response, match.get().params(), version);
            if (route.inline().test(call)) {
                answerInline(route, call, request, response, callback);
            } else {
                ApiCall blockingCall = call;
                blocking.execute(() -> answer(route, blockingCall, request, response, callback));
            }
        } catch (Throwable failure) {
            fail(request, response, callback, call, failure);
        }
        return true;
    }

    /** A blocking route, on a request thread: its writes wait, and the exchange ends when it returns. */
    private void answer(Route route, ApiCall call, Request request, Response response, Callback callback) {
        try {
            route.handler().handle(call);
            callback.succeeded();
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} {}", request.getMethod(), request.getHttpURI().getPathQuery(), response.getStatus());
            }
        } catch (Throwable failure) {
            fail(request, response, callback, call, failure);
        }
    }

    /** An inline route, here on the selector: its one answer goes to Jetty with the callback, which ends the exchange. */
    private void answerInline(Route route, ApiCall call, Request request, Response response, Callback callback) {
        call.runInline(callback);
        try {
            route.handler().handle(call);
            if (!call.answered()) {
                throw new IllegalStateException("the inline route " + route.template() + " returned without an answer");
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} {}", request.getMethod(), request.getHttpURI().getPathQuery(), response.getStatus());
            }
        } catch (Throwable failure) {
            if (call.answered()) {
                // the callback belongs to the write already under way: it ends the exchange
                LOG.error("{} {}: failed after its answer: {}", request.getMethod(), request.getHttpURI().getPath(), failure.toString(), failure);
                return;
            }
            fail(request, response, callback, call, failure);
        }
    }

    private void fail(Request request, Response response, Callback callback, ApiCall call, Throwable failure) {
        int status = ErrorMapper.status(failure);
        if (clientLeft(failure)) {
            // the client hung up before its answer was out (the docker CLI drops its wait once
            // the attach told it the exit): nobody to answer, nothing wrong on our side
            LOG.debug("{} {}: the client left: {}", request.getMethod(), request.getHttpURI().getPath(), failure.toString());
            callback.failed(failure);
            return;
        }
        if (status == 500) { // a bug or the host refusing: worth a trace; the rest is the client's business
            LOG.error("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), failure.toString(), failure);
        } else {
            LOG.debug("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), failure.getMessage());
        }
        if (response.isCommitted() || call != null && call.hijacked()) {
            // the status line is out: all we can do is cut the stream so the client sees it end early
            callback.failed(failure);
            return;
        }
        writeError(request, response, status, ErrorMapper.message(failure), callback);
    }

    /** Whether writing the answer failed because the connection is gone (Jetty's EOF, a closed channel). */
    static boolean clientLeft(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    static void addCommonHeaders(Response response) {
        response.getHeaders().put("Api-Version", ApiVersion.MAX.toString());
        response.getHeaders().put("Docker-Experimental", "false");
        response.getHeaders().put("Ostype", "linux");
        response.getHeaders().put(HttpHeader.SERVER, BerthdVersion.serverHeader());
    }

    private static void writeError(Request request, Response response, int status, String message, Callback callback) {
        byte[] body = (Json.write(Map.of("message", message)) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        if (!request.consumeAvailable()) {
            // Jetty closes a connection whose request body was not read to the end, but only after
            // this answer is out: say so in it, or a client that keeps connections (docker-java's
            // pool, the JDK's) sends its next request into a closed socket
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Thrown by routes for a well-formed request the daemon cannot do yet (501). */
    public static BerthException notImplemented(String what) {
        return BerthException.unsupported(what + " is not implemented by berthd yet");
    }
}
