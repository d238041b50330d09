package dev.berth.engine;

import dev.berth.oci.BerthException;

/** {@code POST /containers/{id}/wait?condition=}: not-running (default), next-exit, removed. */
public enum WaitCondition {
    NOT_RUNNING, NEXT_EXIT, REMOVED;

    public static WaitCondition parse(String s) {
        return switch (s == null ? "" : s) {
            case "", "not-running" -> NOT_RUNNING;
            case "next-exit" -> NEXT_EXIT;
            case "removed" -> REMOVED;
            default -> throw BerthException.invalid("invalid condition: \"" + s + "\"");
        };
    }
}
