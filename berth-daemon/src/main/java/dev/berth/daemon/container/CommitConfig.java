package dev.berth.daemon.container;

import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Config body of POST /commit as Dockerfile instructions, applied after the changes=
 * ones so the body wins, as dockerd merges it. Only the fields a client sets are turned into
 * instructions; an absent or null field keeps the container's value.
 */
final class CommitConfig {
    private CommitConfig() {}

    static List<String> changes(JsonObject o) {
        List<String> out = new ArrayList<>();
        if (o.has("Cmd")) {
            out.add("CMD " + Json.write(o.strings("Cmd")));
        }
        if (o.has("Entrypoint")) {
            out.add("ENTRYPOINT " + Json.write(o.strings("Entrypoint")));
        }
        for (String env : o.strings("Env")) {
            int eq = env.indexOf('=');
            if (eq > 0) {
                out.add("ENV " + env.substring(0, eq) + "=" + Json.write(env.substring(eq + 1)));
            }
        }
        for (Map.Entry<String, String> l : o.stringMap("Labels").entrySet()) {
            out.add("LABEL " + Json.write(l.getKey()) + "=" + Json.write(l.getValue()));
        }
        o.string("WorkingDir").filter(s -> !s.isEmpty()).ifPresent(s -> out.add("WORKDIR " + s));
        o.string("User").filter(s -> !s.isEmpty()).ifPresent(s -> out.add("USER " + s));
        o.string("StopSignal").filter(s -> !s.isEmpty()).ifPresent(s -> out.add("STOPSIGNAL " + s));
        // the ports are the keys ("80/tcp"); their values are empty objects
        for (String port : o.objectMap("ExposedPorts", p -> p).keySet()) {
            out.add("EXPOSE " + port);
        }
        return out;
    }
}
