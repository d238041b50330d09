package dev.berth.oci.runtime.json;

import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.oci.runtime.State;

/**
 * The container state document ↔ {@link State} (runtime.md "State"), laid out exactly as
 * {@code runc state} prints it: runc's field order (ociVersion, id, pid, status, bundle, rootfs,
 * created, annotations only when non-empty, owner), two-space indentation, sorted annotation
 * keys, no trailing newline. {@code created} is kept as the RFC 3339 text it was given.
 */
public final class StateJson {
    /** The name used for the document in error messages. */
    public static final String SOURCE = "state.json";

    private StateJson() {}

    public static String write(State state) {
        return Json.writePretty(JsonObjectBuilder.create()
                .put("ociVersion", orEmpty(state.ociVersion()))
                .put("id", orEmpty(state.id()))
                .put("pid", state.pid())
                .put("status", state.status().word())
                .put("bundle", orEmpty(state.bundle()))
                .put("rootfs", orEmpty(state.rootfs()))
                .put("created", orEmpty(state.created()))
                .omitEmpty("annotations", Json.sortedByKey(state.annotations()))
                .put("owner", orEmpty(state.owner()))
                .build());
    }

    public static State parse(String json) {
        JsonObject o = JsonObject.root(SOURCE, Json.parse(json, SOURCE));
        String id = o.string("id").filter(s -> !s.isEmpty()).orElseThrow(() -> o.error("id", "required"));
        String word = o.string("status").orElseThrow(() -> o.error("status", "required"));
        return new State(
                o.string("ociVersion").orElse(""),
                id,
                status(o, word),
                o.int32("pid").orElse(0L).intValue(),
                o.string("bundle").orElse(""),
                o.string("rootfs").orElse(""),
                o.string("created").orElse(""),
                o.string("owner").orElse(""),
                o.stringMap("annotations"));
    }

    private static State.Status status(JsonObject o, String word) {
        for (State.Status status : State.Status.values()) {
            if (status.word().equals(word)) {
                return status;
            }
        }
        throw o.error("status", "unknown status \"" + word + "\", expected one of creating, created, running, stopped, paused");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
