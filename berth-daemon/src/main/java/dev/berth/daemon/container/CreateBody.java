package dev.berth.daemon.container;

import dev.berth.engine.CreateRequest;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerJson;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.HostConfig;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObject;
import java.util.Optional;

/**
 * The body of POST /containers/create (docker's Config with HostConfig and NetworkingConfig
 * beside it) as the engine's {@link CreateRequest}. The name is checked first, as dockerd
 * does, so a bad name is a 400 even with a bad body; NetworkingConfig is read by nobody until
 * networks exist (issue 5).
 */
final class CreateBody {
    private CreateBody() {}

    static CreateRequest read(Optional<String> name, Object tree) {
        name.filter(n -> !n.isEmpty()).ifPresent(ContainerName::of);
        if (tree == null) {
            throw BerthException.invalid("config cannot be empty in order to create a container");
        }
        JsonObject body = JsonObject.root("request body", tree);
        ContainerConfig config = ContainerJson.readConfig(body);
        HostConfig hostConfig = body.object("HostConfig").map(ContainerJson::readHostConfig)
                .orElseGet(() -> ContainerJson.readHostConfig(JsonObject.root("request body", java.util.Map.of())));
        if (config.image().isEmpty()) {
            throw BerthException.invalid("Config.Image: an image is required to create a container");
        }
        return new CreateRequest(name, config, hostConfig);
    }
}
