package dev.berth.daemon.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The route table: first match wins, so specific templates go before greedy ones
 * ({@code /images/json} before {@code /images/{name*}/json}). HEAD falls back to the GET route
 * when no HEAD route is registered.
 */
public final class Router {
    /** A group of routes registered together (system, events, images, ...). */
    public interface Service {
        void routing(Router router);
    }

    public record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    public Router register(Service service) {
        service.routing(this);
        return this;
    }

    public Router get(String template, RouteHandler handler) {
        return add("GET", template, handler);
    }

    /**
     * A GET (and HEAD) answered on the thread that read the request, with no hand-off to a
     * request thread: for the calls the CLI makes before every command (ping, version, the image
     * list), where the hand-off was a large part of the answer's time. The handler must not block:
     * no lock held across I/O, no file I/O beyond /proc, no request body, no stream; it answers
     * with one {@link ApiCall#json}, {@link ApiCall#text} or {@link ApiCall#status}, which Jetty
     * writes without waiting. Anything else is refused with an {@link IllegalStateException}.
     */
    public Router getInline(String template, RouteHandler handler) {
        return getInline(template, call -> true, handler);
    }

    /** {@link #getInline(String, RouteHandler)} for the calls {@code when} accepts; the others go to a request thread. */
    public Router getInline(String template, Predicate<ApiCall> when, RouteHandler handler) {
        routes.add(Route.of("GET", template, when, handler));
        return this;
    }

    /** A HEAD answered inline, as {@link #getInline(String, RouteHandler)}. */
    public Router headInline(String template, RouteHandler handler) {
        routes.add(Route.of("HEAD", template, call -> true, handler));
        return this;
    }

    public Router head(String template, RouteHandler handler) {
        return add("HEAD", template, handler);
    }

    public Router post(String template, RouteHandler handler) {
        return add("POST", template, handler);
    }

    public Router delete(String template, RouteHandler handler) {
        return add("DELETE", template, handler);
    }

    public Router add(String method, String template, RouteHandler handler) {
        routes.add(Route.of(method, template, handler));
        return this;
    }

    public Optional<Match> find(String method, String path) {
        Optional<Match> exact = find0(method, path);
        if (exact.isEmpty() && method.equals("HEAD")) {
            return find0("GET", path);
        }
        return exact;
    }

    private Optional<Match> find0(String method, String path) {
        for (Route route : routes) {
            if (route.method().equals(method)) {
                Optional<Map<String, String>> params = route.match(path);
                if (params.isPresent()) {
                    return Optional.of(new Match(route, params.get()));
                }
            }
        }
        return Optional.empty();
    }
}
