package dev.berth.registry.auth;

import java.util.Set;
import java.util.TreeSet;

/**
 * One thing a request needs, as the token spec writes a scope: {@code repository:<name>:pull,push}
 * or {@code registry:catalog:*}. Actions are pull, push, delete and {@code *}.
 */
public record Access(String type, String name, Set<String> actions) {
    public Access {
        actions = Set.copyOf(actions);
    }

    public static Access repository(String name, String... actions) {
        return new Access("repository", name, Set.of(actions));
    }

    /** The scope string, actions sorted: {@code repository:library/busybox:pull,push}. */
    public String scope() {
        return type + ":" + name + ":" + String.join(",", new TreeSet<>(actions));
    }
}
