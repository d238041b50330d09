package dev.berth.daemon.api;

/**
 * One API operation. It runs on one of the daemon's request threads and may block (routes
 * registered inline run on Jetty's selector and must not: {@link Router#getInline}); errors are
 * BerthExceptions.
 */
@FunctionalInterface
public interface RouteHandler {
    void handle(ApiCall call) throws Exception;
}
