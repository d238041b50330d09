package dev.berth.cli.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.output.JsonMessages;
import dev.berth.client.ApiResponse;
import dev.berth.client.ApiVersion;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code POST /containers/create[?name=]} as docker run and docker create send it. When the
 * daemon has no such image, docker's words ("Unable to find image 'x:latest' locally") go to
 * stderr and the image is pulled ({@code POST /images/create}) before a second try; a daemon
 * that cannot pull answers with its error, which the caller reports.
 */
public final class Creator {
    private Creator() {}

    /** The new container's id; the daemon's warnings are printed on stderr. */
    public static String create(Cli cli, String image, String name, Map<String, Object> body) {
        Query query = Query.of().optional("name", name);
        if (body.get("NetworkingConfig") instanceof Map<?, ?> networking
                && networking.get("EndpointsConfig") instanceof Map<?, ?> endpoints
                && NetworkEndpoints.hasMac(castMap(endpoints))
                && ApiVersion.compare(cli.client().apiVersion(), "1.44") < 0) {
            // the docker client's own check: older daemons read one MAC address from Config only
            throw new CommandFailed("\"specify mac-address per network\" requires API version 1.44, but the Docker "
                    + "daemon API version is " + cli.client().apiVersion());
        }
        Object answer;
        try {
            answer = cli.client().postJson("/containers/create", query, body);
        } catch (DaemonException e) {
            if (e.status() != 404 || !e.getMessage().contains("No such image")) {
                throw e;
            }
            ImageName ref = parse(image);
            cli.err.println("Unable to find image '" + ref.familiar() + "' locally");
            pull(cli, ref);
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

    private static ImageName parse(String image) {
        try {
            return ImageName.parse(image).withDefaultTag();
        } catch (IllegalArgumentException e) {
            throw new RunException("invalid reference format: " + e.getMessage());
        }
    }

    private static void pull(Cli cli, ImageName ref) {
        Query query = Query.of().add("fromImage", ref.familiarName())
                .add("tag", ref.digest() != null ? ref.digest() : ref.tag() == null ? "latest" : ref.tag());
        try (ApiResponse response = cli.client().send("POST", "/images/create", query, null, null, null)) {
            JsonMessages.display(response.body(), cli.err, cli.isTerminal(2));
        } catch (JsonMessages.StreamError e) {
            throw new RunException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
