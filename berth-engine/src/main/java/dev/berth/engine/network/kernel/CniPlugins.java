package dev.berth.engine.network.kernel;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs CNI plugins as the spec says (shared/specs/cni/SPEC.md, "Execution protocol"): the
 * executable {@code <dir>/<type>}, the parameters in CNI_* environment variables, the network
 * configuration on stdin, the result or an error object on stdout. A plugin that does not
 * finish within the timeout is killed.
 */
final class CniPlugins {
    /** The spec's version the Debian plugins (1.1.1) speak. */
    static final String CNI_VERSION = "1.0.0";
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final Path dir;
    private final Duration timeout;

    CniPlugins(Path dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
    }

    Path dir() {
        return dir;
    }

    /** The command and its parameters for one call. netns may be null (a DEL after the namespace went). */
    record Call(String command, String containerId, Path netns, String ifName) {}

    /**
     * Runs the plugin named by config's "type" and returns its stdout parsed (the result of an
     * ADD; DEL and CHECK print nothing, which gives an empty map).
     *
     * @throws BerthException naming the plugin and its error message when it fails
     */
    Map<String, Object> run(Call call, Map<String, Object> config) {
        String type = String.valueOf(config.get("type"));
        if (!TYPE.matcher(type).matches()) {
            throw BerthException.invalid("invalid cni plugin type: " + type);
        }
        Path program = dir.resolve(type);
        if (!Files.isExecutable(program)) {
            throw BerthException.unsupported("cni plugin " + type + " not found in " + dir);
        }
        Map<String, String> env = Map.of(
                "CNI_COMMAND", call.command(),
                "CNI_CONTAINERID", call.containerId(),
                "CNI_NETNS", call.netns() == null ? "" : call.netns().toString(),
                "CNI_IFNAME", call.ifName(),
                "CNI_PATH", dir.toString());
        HostCommand.Result r = HostCommand.run(List.of(program.toString()), env, Json.write(config), timeout);
        if (!r.ok()) {
            throw failure(type, call.command(), r.exit(), r.stdout(), r.stderr());
        }
        if (r.stdout().isEmpty()) {
            return Map.of();
        }
        if (!(Json.parse(r.stdout(), "cni plugin " + type) instanceof Map<?, ?> m)) {
            throw BerthException.internal("cni plugin " + type + " printed no JSON object: " + r.stdout());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) m;
        return result;
    }

    /** The VERSION command: which spec versions the plugin speaks (SPEC.md "VERSION"). */
    Map<String, Object> version(String type) {
        return run(new Call("VERSION", "", null, ""), Map.of("cniVersion", CNI_VERSION, "type", type));
    }

    /** The spec's error object {"code", "msg", "details"} as a BerthException; stderr when there is none. */
    static BerthException failure(String type, String command, int exit, String stdout, String stderr) {
        String message;
        try {
            JsonObject error = JsonObject.root("cni error", Json.parse(stdout));
            message = error.string("msg").orElse("exit status " + exit);
            String details = error.string("details").orElse("");
            if (!details.isEmpty()) {
                message += ": " + details;
            }
        } catch (RuntimeException notJson) {
            message = !stderr.isEmpty() ? stderr : !stdout.isEmpty() ? stdout : "exit status " + exit;
        }
        return BerthException.internal("cni plugin " + type + " " + command + ": " + message);
    }
}
