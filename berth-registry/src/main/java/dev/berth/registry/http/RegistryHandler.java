package dev.berth.registry.http;

import dev.berth.oci.json.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.auth.Access;
import dev.berth.registry.auth.AuthDecision;
import dev.berth.registry.auth.RegistryAuth;
import dev.berth.registry.auth.TokenEndpoint;
import dev.berth.registry.store.RegistryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler of the registry: finds the endpoint (parsing the path from the right),
 * checks the repository name, asks {@link RegistryAuth} whether the request may do what the
 * endpoint does, runs the route, and turns every failure into the spec's error body (once,
 * here, through {@link RegistryErrors}). The token endpoint of the Bearer flow, when the auth
 * has one, is served beside the API.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);
    private static final Access CATALOG = new Access("registry", "catalog", Set.of("*"));

    private final RegistryAuth auth;
    private final Optional<TokenEndpoint> tokens;
    private final ManifestRoutes manifests;
    private final BlobRoutes blobs;
    private final UploadRoutes uploads;
    private final ListingRoutes listings;

    public RegistryHandler(RegistryStore store, RegistryAuth auth, ServerLimits limits) {
        this.auth = auth;
        this.tokens = auth.tokenEndpoint();
        this.manifests = new ManifestRoutes(store, limits);
        this.blobs = new BlobRoutes(store);
        this.uploads = new UploadRoutes(store, limits);
        this.listings = new ListingRoutes(store);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String decoded = request.getHttpURI().getDecodedPath();
        RegistryCall call = null;
        try {
            addCommonHeaders(response);
            if (tokens.isPresent() && tokens.get().path().equals(decoded)) {
                TokenRoute.serve(request, response, tokens.get());
                callback.succeeded();
                return true;
            }
            Optional<RegistryPath> path = RegistryPath.parse(decoded);
            if (path.isEmpty()) {
                writeError(request, response, callback, new RegistryErrors.Problem(404, ErrorCode.UNSUPPORTED.wire(),
                        "no such endpoint: " + request.getMethod() + " " + request.getHttpURI().getPath(), null), Map.of());
                return true;
            }
            call = new RegistryCall(request, response, path.get());
            route(call);
            callback.succeeded();
            LOG.debug("{} {} {}", request.getMethod(), request.getHttpURI().getPathQuery(), response.getStatus());
        } catch (Throwable failure) {
            fail(request, response, callback, call, failure);
        }
        return true;
    }

    private void route(RegistryCall call) throws IOException {
        RegistryPath path = call.path();
        String method = call.method();
        boolean read = method.equals("GET") || method.equals("HEAD");
        switch (path.endpoint()) {
            case BASE -> {
                allow(call, read, "GET, HEAD");
                authorize(call, List.of());
                call.json(200, "application/json", Map.of());
            }
            case CATALOG -> {
                allow(call, method.equals("GET"), "GET");
                authorize(call, List.of(CATALOG));
                listings.catalog(call);
            }
            case MANIFEST -> {
                RepositoryName repo = path.repository();
                switch (method) {
                    case "GET", "HEAD" -> {
                        authorize(call, List.of(pull(repo)));
                        manifests.get(call, repo, path.reference());
                    }
                    case "PUT" -> {
                        authorize(call, List.of(push(repo)));
                        manifests.put(call, repo, path.reference());
                    }
                    case "DELETE" -> {
                        authorize(call, List.of(Access.repository(repo.value(), "delete")));
                        manifests.delete(call, repo, path.reference());
                    }
                    default -> allow(call, false, "GET, HEAD, PUT, DELETE");
                }
            }
            case BLOB -> {
                RepositoryName repo = path.repository();
                switch (method) {
                    case "GET", "HEAD" -> {
                        authorize(call, List.of(pull(repo)));
                        blobs.get(call, repo, path.reference());
                    }
                    case "DELETE" -> {
                        authorize(call, List.of(Access.repository(repo.value(), "delete")));
                        blobs.delete(call, repo, path.reference());
                    }
                    default -> allow(call, false, "GET, HEAD, DELETE");
                }
            }
            case UPLOAD_START -> {
                allow(call, method.equals("POST"), "POST");
                RepositoryName repo = path.repository();
                String authorization = call.header("Authorization").orElse(null);
                List<Access> withSource = withMountSource(call, List.of(push(repo)));
                AuthDecision pushing = withSource.size() == 1 ? null : auth.authorize(authorization, List.of(push(repo)));
                if (!(pushing instanceof AuthDecision.Granted)) {
                    // a refused mount's challenge names its source too, as distribution's does, so
                    // the token a client fetches for it can read the source and the mount can happen
                    pushing = authorize(call, withSource);
                }
                String subject = ((AuthDecision.Granted) pushing).subject();
                // the request's own credentials, or the user's rights (a token scoped to the
                // target cannot name the source an automatic mount finds)
                uploads.start(call, repo, from -> auth.authorize(authorization, List.of(pull(from))) instanceof AuthDecision.Granted
                        || auth.permits(subject, pull(from)));
            }
            case UPLOAD -> {
                RepositoryName repo = path.repository();
                allow(call, Set.of("GET", "PATCH", "PUT", "DELETE").contains(method), "GET, PATCH, PUT, DELETE");
                authorize(call, List.of(push(repo)));
                switch (method) {
                    case "GET" -> uploads.status(call, repo, path.reference());
                    case "PATCH" -> uploads.patch(call, repo, path.reference());
                    case "PUT" -> uploads.put(call, repo, path.reference());
                    default -> uploads.cancel(call, repo, path.reference());
                }
            }
            case TAGS -> {
                allow(call, method.equals("GET"), "GET");
                RepositoryName repo = path.repository();
                authorize(call, List.of(pull(repo)));
                listings.tags(call, repo);
            }
            case REFERRERS -> {
                allow(call, method.equals("GET"), "GET");
                RepositoryName repo = path.repository();
                authorize(call, List.of(pull(repo)));
                listings.referrers(call, repo, path.reference());
            }
        }
    }

    private static List<Access> withMountSource(RegistryCall call, List<Access> wanted) {
        Optional<String> from = call.query("mount").isPresent() ? call.query("from") : Optional.empty();
        if (from.isEmpty()) {
            return wanted;
        }
        try {
            List<Access> out = new java.util.ArrayList<>(wanted);
            out.add(pull(RepositoryName.of(from.get())));
            return out;
        } catch (RegistryException invalidName) {
            return wanted;
        }
    }

    private static Access pull(RepositoryName repo) {
        return Access.repository(repo.value(), "pull");
    }

    /** Uploads and manifest pushes need pull too, as distribution asks (a pusher reads back). */
    private static Access push(RepositoryName repo) {
        return Access.repository(repo.value(), "pull", "push");
    }

    private static void allow(RegistryCall call, boolean allowed, String methods) {
        if (!allowed) {
            call.errorHeader("Allow", methods);
            throw new RegistryException(ErrorCode.UNSUPPORTED, "method " + call.method() + " not allowed on "
                    + call.request().getHttpURI().getPath());
        }
    }

    private AuthDecision.Granted authorize(RegistryCall call, List<Access> wanted) {
        AuthDecision decision = auth.authorize(call.header("Authorization").orElse(null), wanted);
        if (decision instanceof AuthDecision.Refused refused) {
            if (refused.wwwAuthenticate() != null) {
                call.errorHeader("WWW-Authenticate", refused.wwwAuthenticate());
            }
            throw new RegistryException(refused.code(), refused.message());
        }
        return (AuthDecision.Granted) decision;
    }

    private static void addCommonHeaders(Response response) {
        response.getHeaders().put(Headers.API_VERSION, "registry/2.0");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
    }

    private void fail(Request request, Response response, Callback callback, RegistryCall call, Throwable failure) {
        if (RegistryErrors.clientGone(failure)) {
            LOG.debug("{} {}: the client went away: {}", request.getMethod(), request.getHttpURI().getPath(), failure.toString());
            callback.failed(failure);
            return;
        }
        RegistryErrors.Problem problem = RegistryErrors.of(failure);
        if (problem.serverFault()) {
            LOG.error("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), failure.toString(), failure);
        } else {
            LOG.debug("{} {}: {} {}", request.getMethod(), request.getHttpURI().getPath(), problem.code(), problem.message());
        }
        if (response.isCommitted()) {
            // the status line is out (a blob half sent): cutting the connection is all that is left
            callback.failed(failure);
            return;
        }
        response.reset();
        addCommonHeaders(response);
        if (!request.consumeAvailable()) {
            // Jetty closes a connection whose request body was not read to the end, but only after
            // this answer is out: say so in it, or a client that keeps connections (the JDK's,
            // docker's) sends its next request into a closed socket
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        writeError(request, response, callback, problem, call == null ? Map.of() : call.errorHeaders());
    }

    private static void writeError(Request request, Response response, Callback callback, RegistryErrors.Problem problem,
            Map<String, String> extraHeaders) {
        byte[] body = Json.write(problem.body()).getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        extraHeaders.forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }
}
