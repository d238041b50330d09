package dev.berth.daemon.api;

/** One API operation. It runs on a virtual thread and may block; errors are BerthExceptions. */
@FunctionalInterface
public interface RouteHandler {
    void handle(ApiCall call) throws Exception;
}
