package dev.berth.cli.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.registry.ImageStreams;
import dev.berth.client.ApiVersion;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import dev.berth.oci.json.JsonObject;
import java.util.Map;

/**
 * {@code POST /containers/create[?name=&platform=]} as docker run and docker create send it,
 * with docker's --pull policy: {@code always} pulls first; {@code missing} (the default) pulls
 * when the daemon has no such image, after docker's words ("Unable to find image 'x:latest'
 * locally") on stderr, then tries again; {@code never} reports the daemon's refusal. The pull's
 * progress goes to stderr (nothing with -q), drawn as a terminal when stdout is one, as docker
 * decides it.
 */
public final class Creator {
    /** How to pull: the --pull policy, --platform (or null) and -q. */
    public record PullOptions(String policy, String platform, boolean quiet) {
        public static PullOptions of(ContainerFlags flags, Map<String, String> env) {
            String platform = flags.platform != null ? flags.platform : env.getOrDefault("DOCKER_DEFAULT_PLATFORM", "");
            return new PullOptions(flags.pull == null ? "missing" : flags.pull, platform, flags.quiet);
        }

        /** docker's check of the --pull value, before anything is sent (reported as run and create report their errors). */
        public void validate() {
            if (!policy.isEmpty() && !policy.equals("always") && !policy.equals("missing") && !policy.equals("never")) {
                throw new RunException("invalid pull option: '" + policy
                        + "': must be one of \"always\", \"missing\" or \"never\"");
            }
        }
    }

    private Creator() {}

    /** The new container's id; the daemon's warnings are printed on stderr. */
    public static String create(Cli cli, String image, String name, Map<String, Object> body, PullOptions pull) {
        pull.validate();
        Query query = Query.of().optional("name", name).optional("platform", pull.platform());
        if (body.get("NetworkingConfig") instanceof Map<?, ?> networking
                && networking.get("EndpointsConfig") instanceof Map<?, ?> endpoints
                && NetworkEndpoints.hasMac(castMap(endpoints))
                && ApiVersion.compare(cli.client().apiVersion(), "1.44") < 0) {
            // the docker client's own check: older daemons read one MAC address from Config only
            throw new CommandFailed("\"specify mac-address per network\" requires API version 1.44, but the Docker "
                    + "daemon API version is " + cli.client().apiVersion());
        }
        ImageName named = named(image);
        if (pull.policy().equals("always") && named != null) {
            pull(cli, named, pull);
        }
        Object answer;
        try {
            answer = cli.client().postJson("/containers/create", query, body);
        } catch (DaemonException e) {
            if (e.status() != 404 || !e.getMessage().contains("No such image") || named == null
                    || !pull.policy().equals("missing")) {
                throw e;
            }
            if (!pull.quiet()) {
                cli.err.println("Unable to find image '" + named.familiar() + "' locally");
            }
            pull(cli, named, pull);
            answer = cli.client().postJson("/containers/create", query, body);
        }
        JsonObject created = JsonObject.root("create", answer);
        for (String warning : created.strings("Warnings")) {
            cli.err.println("WARNING: " + warning);
        }
        return created.string("Id").orElseThrow(() -> new IllegalStateException("the daemon sent no container Id"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** The image as a name with its tag ("latest" when none), or null for an image id, which cannot be pulled. */
    private static ImageName named(String image) {
        try {
            return ImageName.parse(image).withDefaultTag();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void pull(Cli cli, ImageName ref, PullOptions pull) {
        ImageStreams.Screen screen = pull.quiet() ? ImageStreams.Screen.discard() : ImageStreams.Screen.of(cli, cli.err, 1);
        ImageStreams.pull(cli, ref, false, pull.platform(), screen);
    }
}
