package dev.berth.image.registry.client;

import dev.berth.image.registry.RegistryCredentials;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Authenticated requests to one registry endpoint for a fixed set of scopes: the challenge the
 * endpoint answered {@code GET /v2/} with decides Basic (credentials on every request) or Bearer
 * (a token from the realm for the scopes, cached until it expires, fetched again once when a
 * request is refused with 401). Thread safe: the pull's download threads share one session.
 */
public final class RegistrySession {
    private final RegistryClient client;
    private final HttpClient http;
    private final RegistryEndpoint endpoint;
    private final RegistryCredentials credentials;
    private final List<String> scopes;
    private final Duration readTimeout;
    private volatile AuthChallenge challenge; // null: the registry asked for nothing
    private volatile String authorization; // the header value in use, null when none

    RegistrySession(RegistryClient client, HttpClient http, RegistryEndpoint endpoint, AuthChallenge challenge,
            RegistryCredentials credentials, List<String> scopes, Duration readTimeout) {
        this.client = client;
        this.readTimeout = readTimeout;
        this.http = http;
        this.endpoint = endpoint;
        this.challenge = challenge;
        this.credentials = credentials;
        this.scopes = List.copyOf(scopes);
    }

    HttpClient http() {
        return http;
    }

    AuthChallenge challengeOrNull() {
        return challenge;
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    public List<String> scopes() {
        return scopes;
    }

    /** {@code endpoint + path}; a path starts with "/v2/". */
    public URI uri(String path) {
        return endpoint.resolve(path);
    }

    /** A Location header made absolute against the request it answered (the spec allows relative ones). */
    public static URI location(HttpResponse<?> response) {
        String loc = response.headers().firstValue("Location")
                .orElseThrow(() -> BerthException.internal("the registry's answer to " + response.request().method() + " "
                        + TokenFetcher.redacted(response.request().uri()) + " has no Location header"));
        return response.request().uri().resolve(loc);
    }

    /**
     * Sends {@code request} with this session's credentials and returns the response whatever its
     * status, its body as a stream the caller closes. A 401 is retried once with fresh credentials
     * (the request is rebuilt from the builder, so its body publisher must be re-readable: bytes,
     * a file, or a supplier of streams). Redirects are the caller's business ({@link #follow}).
     */
    public HttpResponse<InputStream> send(HttpRequest.Builder request) {
        AuthChallenge c = challenge;
        if (c != null && c.isBasic() && credentials.username().isEmpty() && credentials.password().isEmpty()) {
            // docker's basic handler refuses before asking: no credentials, no request
            HttpRequest r = request.copy().build();
            String verb = r.method().charAt(0) + r.method().substring(1).toLowerCase(java.util.Locale.ROOT);
            throw new RegistryError(BerthException.Kind.UNAUTHORIZED, verb + " \"" + TokenFetcher.redacted(r.uri())
                    + "\": no basic auth credentials", 401, List.of("UNAUTHORIZED"));
        }
        String auth = authorization(false);
        HttpResponse<InputStream> response = sendOnce(request, auth);
        if (response.statusCode() == 401 && challenge(response.headers()).isPresent()) {
            drain(response);
            challenge = challenge(response.headers()).get();
            auth = authorization(true);
            if (auth != null) {
                response = sendOnce(request, auth);
            } else {
                response = sendOnce(request, null);
            }
        }
        return response;
    }

    /**
     * Sends a GET or HEAD and follows redirects (blob storage behind a registry answers 307 to a
     * CDN): credentials go only to the registry's own host, as docker's client does.
     */
    public HttpResponse<InputStream> follow(HttpRequest.Builder request) {
        HttpResponse<InputStream> response = send(request);
        for (int hops = 0; hops < 10 && isRedirect(response.statusCode()); hops++) {
            URI next = location(response);
            drain(response);
            HttpRequest.Builder again = request.copy().uri(next);
            if (next.getRawAuthority() != null && next.getRawAuthority().equals(endpoint.hostPort())
                    && next.getScheme().equals(endpoint.base().getScheme())) {
                response = send(again);
            } else {
                response = sendOnce(again, null);
            }
        }
        return response;
    }

    /** Reads an error answer into the exception its status and body say; closes the body. */
    public static RegistryError error(HttpResponse<InputStream> response) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        return ErrorBodies.toError(response.statusCode(), body);
    }

    /** Discards what is left of a response so its connection goes back to the pool. */
    public static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.skip(Long.MAX_VALUE);
        } catch (IOException e) {
            // the connection is closed instead of pooled; nothing to do
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * One request. Neither the request body nor the answer may stall longer than the read
     * timeout: the request is cancelled when the registry has taken no body bytes and sent no
     * headers for that long, and the body's reads time out likewise ({@link IdleTimeout.Body}).
     */
    private HttpResponse<InputStream> sendOnce(HttpRequest.Builder request, String auth) {
        HttpRequest.Builder b = request.copy();
        b.setHeader("User-Agent", client.userAgent());
        if (auth != null) {
            b.setHeader("Authorization", auth);
        }
        HttpRequest built = b.build();
        String host = built.uri().getAuthority();
        Progress progress = new Progress();
        HttpRequest sent = built.bodyPublisher()
                .map(p -> HttpRequest.newBuilder(built, (name, value) -> true)
                        .method(built.method(), new ObservedBody(p, progress)).build())
                .orElse(built);
        CompletableFuture<HttpResponse<InputStream>> answer = http.sendAsync(sent, IdleTimeout.bodies(readTimeout, host));
        long period = IdleTimeout.periodNanos(readTimeout);
        try {
            while (true) {
                try {
                    return answer.get(period, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - progress.last > readTimeout.toNanos()) {
                        answer.cancel(true);
                        throw BerthException.internal(verb(built) + " \"" + TokenFetcher.redacted(built.uri())
                                + "\": read timeout: the registry " + host + " took no data and sent no answer for "
                                + IdleTimeout.words(readTimeout));
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw Transport.unreachable(built.method(), built.uri(),
                    cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted: " + built.method() + " " + TokenFetcher.redacted(built.uri()));
        }
    }

    private static String verb(HttpRequest r) {
        return r.method().charAt(0) + r.method().substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** When the request last moved: sent, or a body buffer handed to the connection. */
    private static final class Progress {
        volatile long last = System.nanoTime();
    }

    /** A request body that notes each buffer the client takes from it (the client takes one when the socket has room). */
    private record ObservedBody(HttpRequest.BodyPublisher body, Progress progress) implements HttpRequest.BodyPublisher {
        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    progress.last = System.nanoTime();
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    progress.last = System.nanoTime();
                    subscriber.onComplete();
                }
            });
        }
    }

    private String authorization(boolean refresh) {
        AuthChallenge c = challenge;
        if (c == null) {
            return null;
        }
        if (!refresh && authorization != null && !c.isBearer()) {
            return authorization; // Bearer asks the token cache each time: a token may expire mid-pull
        }
        String value;
        if (c.isBasic()) {
            value = credentials.username().isEmpty() && credentials.password().isEmpty() ? null
                    : TokenFetcher.basic(credentials.username(), credentials.password());
        } else if (c.isBearer()) {
            if (!credentials.registryToken().isEmpty()) {
                value = "Bearer " + credentials.registryToken();
            } else {
                value = "Bearer " + client.token(http, c, scopes, credentials, refresh).token();
            }
        } else {
            value = null; // a scheme docker does not speak either
        }
        authorization = value;
        return value;
    }

    static Optional<AuthChallenge> challenge(HttpHeaders headers) {
        List<AuthChallenge> all = AuthChallenge.parseAll(headers.allValues("WWW-Authenticate"));
        return all.stream().filter(AuthChallenge::isBearer).findFirst()
                .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst());
    }
}
