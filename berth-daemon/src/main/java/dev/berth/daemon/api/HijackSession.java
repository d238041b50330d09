package dev.berth.daemon.api;

/**
 * What a hijacking route does with the raw connection once the 101 is out: read the client's
 * bytes, write its own, and return when done (the connection is closed after it returns).
 */
@FunctionalInterface
public interface HijackSession {
    void run(HijackedStream stream) throws Exception;
}
