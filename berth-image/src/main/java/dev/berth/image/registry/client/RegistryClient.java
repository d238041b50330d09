package dev.berth.image.registry.client;

import dev.berth.image.registry.LoginResult;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry client's transport, shared by pull, push and login: endpoint resolution
 * ({@link EndpointResolver}), the HTTP clients ({@link HttpClients}), the ping that finds the
 * endpoint that answers and its challenge, and the token cache (per realm, service, scopes and
 * credentials, until the token expires). {@link #repository} opens a {@link RepositoryClient}.
 */
public final class RegistryClient {
    public static final String PULL = "pull";
    public static final String PUSH = "push";
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);
    /** Go's TLSHandshakeTimeout: how long an https try may take before an insecure host's http is tried. */
    public static final Duration DEFAULT_TLS_PROBE_TIMEOUT = Duration.ofSeconds(10);
    /** How long the endpoint that answered a domain is tried first, without the ones before it. */
    private static final Duration ENDPOINT_MEMORY = Duration.ofMinutes(10);

    private record Remembered(RegistryEndpoint endpoint, java.time.Instant until) {
    }

    private final EndpointResolver resolver;
    private final HttpClients clients;
    private final Clock clock;
    private final String userAgent;
    private final Duration tlsProbeTimeout;
    private final Duration readTimeout;
    private final ConcurrentHashMap<String, BearerToken> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Remembered> answered = new ConcurrentHashMap<>();

    public RegistryClient(RegistryOptions options) {
        this(options, Clock.systemUTC(), DEFAULT_TLS_PROBE_TIMEOUT);
    }

    /**
     * With {@code tlsProbeTimeout}: how long an https attempt on an insecure registry may hang
     * before plain http is tried (a plain HTTP server that never answers a TLS hello costs that
     * much once per domain; servers that answer it with an error cost nothing).
     */
    public RegistryClient(RegistryOptions options, Clock clock, Duration tlsProbeTimeout) {
        this.resolver = new EndpointResolver(options);
        this.clients = new HttpClients(options.certsDirectory());
        this.clock = clock;
        this.tlsProbeTimeout = tlsProbeTimeout;
        this.readTimeout = options.readTimeout();
        this.userAgent = "berth/" + version() + " java/" + Runtime.version().feature();
    }

    public EndpointResolver resolver() {
        return resolver;
    }

    String userAgent() {
        return userAgent;
    }

    /**
     * A client for the repository of {@code ref} with the given actions ("pull", or "pull" and
     * "push"), plus pull on each of {@code mountSources} (other repositories of the same
     * registry that push mounts blobs from).
     */
    public RepositoryClient repository(Reference ref, RegistryCredentials credentials, List<String> actions,
            List<String> mountSources) {
        List<String> scopes = new ArrayList<>();
        scopes.add("repository:" + ref.path() + ":" + String.join(",", actions));
        for (String from : mountSources) {
            if (!from.equals(ref.path())) {
                scopes.add("repository:" + from + ":pull");
            }
        }
        // mirrors serve pulls only: a push or a login goes to the registry itself, as dockerd's
        boolean pullOnly = actions.equals(List.of(PULL));
        return new RepositoryClient(session(ref.domain(), credentials, scopes, pullOnly), ref.repository());
    }

    /** A pull-only client for the repository of {@code ref} on the registry itself, past any mirror. */
    public RepositoryClient repositoryWithoutMirrors(Reference ref, RegistryCredentials credentials) {
        return new RepositoryClient(session(ref.domain(), credentials, List.of("repository:" + ref.path() + ":" + PULL), false),
                ref.repository());
    }

    /** A pull-only client for the repository of {@code ref}. */
    public RepositoryClient repository(Reference ref, RegistryCredentials credentials) {
        return repository(ref, credentials, List.of(PULL), List.of());
    }

    /**
     * Opens a session with the first endpoint of {@code domain} that answers {@code GET /v2/}
     * with 200 or 401 (dockerd's ping), for the scopes.
     */
    public RegistrySession session(String domain, RegistryCredentials credentials, List<String> scopes) {
        return session(domain, credentials, scopes, true);
    }

    private RegistrySession session(String domain, RegistryCredentials credentials, List<String> scopes, boolean mirrors) {
        List<RegistryEndpoint> endpoints = new ArrayList<>(resolver.endpoints(domain));
        if (!mirrors) {
            endpoints.removeIf(RegistryEndpoint::mirror);
        }
        String memoryKey = domain + (mirrors ? "" : " no-mirrors");
        Remembered remembered = answered.get(memoryKey);
        if (remembered != null && remembered.until().isAfter(clock.instant()) && endpoints.contains(remembered.endpoint())) {
            // the endpoint that answered last time goes first; the others stay behind it
            endpoints.remove(remembered.endpoint());
            endpoints.addFirst(remembered.endpoint());
        }
        BerthException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            RegistryEndpoint endpoint = endpoints.get(i);
            HttpClient http = clients.forEndpoint(endpoint);
            boolean fallbackLeft = i + 1 < endpoints.size();
            try {
                Optional<AuthChallenge> challenge = ping(http, endpoint, fallbackLeft && endpoint.isTls()
                        ? tlsProbeTimeout : PING_TIMEOUT);
                answered.put(memoryKey, new Remembered(endpoint, clock.instant().plus(ENDPOINT_MEMORY)));
                return new RegistrySession(this, http, endpoint, challenge.orElse(null), credentials, scopes, readTimeout);
            } catch (BerthException e) {
                answered.remove(memoryKey);
                last = e; // try the next endpoint (mirror failed, or https refused on an insecure host)
            }
        }
        throw last;
    }

    // GET /v2/: 200 means no auth, 401 brings the challenge; anything else is not a registry.
    private Optional<AuthChallenge> ping(HttpClient http, RegistryEndpoint endpoint, Duration timeout) {
        URI uri = endpoint.resolve("/v2/");
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("User-Agent", userAgent).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, IdleTimeout.bodies(readTimeout, uri.getAuthority()));
        } catch (java.io.IOException e) {
            throw Transport.unreachable("GET", uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted: GET " + uri);
        }
        int status = response.statusCode();
        if (status == 401) {
            Optional<AuthChallenge> c = RegistrySession.challenge(response.headers());
            RegistrySession.drain(response);
            return c;
        }
        if (status >= 200 && status < 300) {
            RegistrySession.drain(response);
            return Optional.empty();
        }
        RegistryError error = RegistrySession.error(response);
        throw error.prefixed("GET \"" + uri + "\"");
    }

    /**
     * docker login: pings the registry and proves the credentials with its challenge (Basic: a
     * GET /v2/ with them; Bearer: a token for no scope, asking for a refresh token, which comes
     * back as the identity token). UNAUTHORIZED with dockerd's words when refused.
     */
    public LoginResult login(String serverAddress, RegistryCredentials credentials) {
        String domain = domainOf(serverAddress);
        RegistrySession session = session(domain, credentials, List.of(), false);
        AuthChallenge challenge = session.challengeOrNull();
        if (challenge == null) {
            return LoginResult.succeeded(""); // the registry wants no credentials: docker says "Login Succeeded"
        }
        URI ping = session.uri("/v2/");
        if (challenge.isBearer()) {
            try {
                BearerToken t = TokenFetcher.fetch(session.http(), challenge, List.of(), credentials, true, userAgent,
                        clock.instant(), readTimeout);
                return LoginResult.succeeded(t.refreshToken());
            } catch (RegistryError e) {
                if (e.kind() == BerthException.Kind.UNAUTHORIZED) {
                    throw new RegistryError(BerthException.Kind.UNAUTHORIZED, "Get \"" + ping + "\": " + e.getMessage(),
                            e.status(), e.codes());
                }
                throw e;
            }
        }
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(ping).GET());
        int status = response.statusCode();
        RegistrySession.drain(response);
        if (status == 401 || status == 403) {
            // dockerd (registry/auth.go loginV2) words a refused Basic login so
            throw new RegistryError(BerthException.Kind.UNAUTHORIZED, "login attempt to " + ping + " failed with status: "
                    + status + " " + (status == 401 ? "Unauthorized" : "Forbidden"), status, List.of());
        }
        if (status / 100 != 2) {
            throw BerthException.internal("login attempt to " + ping + " failed with status: " + status);
        }
        return LoginResult.succeeded("");
    }

    /** The domain of a docker login server address: a host[:port], a URL, or docker.io's index URLs. */
    public static String domainOf(String serverAddress) {
        String s = serverAddress == null ? "" : serverAddress.trim();
        if (s.isEmpty()) {
            return Reference.DEFAULT_DOMAIN;
        }
        s = s.replaceFirst("^https?://", "");
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        if (s.equals("index.docker.io") || s.equals(Reference.DEFAULT_DOMAIN) || s.equals(EndpointResolver.DOCKER_HUB_HOST)) {
            return Reference.DEFAULT_DOMAIN;
        }
        return s;
    }

    BearerToken token(HttpClient http, AuthChallenge challenge, List<String> scopes, RegistryCredentials credentials,
            boolean refresh) {
        String key = cacheKey(challenge, scopes, credentials);
        BearerToken cached = tokens.get(key);
        if (!refresh && cached != null && cached.isFresh(clock.instant())) {
            return cached;
        }
        BearerToken fresh = TokenFetcher.fetch(http, challenge, scopes, credentials, false, userAgent, clock.instant(),
                readTimeout);
        tokens.put(key, fresh);
        if (tokens.size() > 1000) {
            tokens.values().removeIf(t -> !t.isFresh(clock.instant()));
        }
        return fresh;
    }

    // Secrets enter the key only through a digest: the map never holds a password.
    private static String cacheKey(AuthChallenge c, List<String> scopes, RegistryCredentials cred) {
        String secret = cred.username() + "\0" + cred.password() + "\0" + cred.identityToken();
        return c.parameter("realm").orElse("") + "|" + c.parameter("service").orElse("") + "|"
                + String.join(" ", new TreeSet<>(scopes)) + "|"
                + Digest.sha256(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static String version() {
        String v = RegistryClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
