package dev.berth.daemon.container;

import dev.berth.engine.CreateRequest;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerJson;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.HostConfig;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObject;
import dev.berth.daemon.network.EndpointBody;
import dev.berth.engine.network.EndpointSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of POST /containers/create (docker's Config with HostConfig and NetworkingConfig
 * beside it) as the engine's {@link CreateRequest}. The name is checked first, as dockerd
 * does, so a bad name is a 400 even with a bad body. NetworkingConfig.EndpointsConfig gives the
 * endpoints asked for by network name (--ip, --ip6, --network-alias); the docker CLI 28 sends an
 * empty one named "default" for the default network, which asks for nothing and is dropped.
 */
final class CreateBody {
    private CreateBody() {}

    /**
     * HostConfig.ConsoleSize, [rows, columns], which the docker CLI sends with -t (0s when it
     * has no terminal): empty when absent, null or not two numbers above 0.
     */
    static Optional<int[]> consoleSize(Object tree) {
        if (tree == null) {
            return Optional.empty();
        }
        Optional<JsonObject> host = JsonObject.root("request body", tree).object("HostConfig");
        if (host.isEmpty() || !host.get().has("ConsoleSize")) {
            return Optional.empty();
        }
        java.util.List<Long> size = host.get().uint32s("ConsoleSize");
        if (size.size() != 2 || size.get(0) == 0 || size.get(1) == 0) {
            return Optional.empty();
        }
        return Optional.of(new int[] {(int) Math.min(size.get(0), 0xffff), (int) Math.min(size.get(1), 0xffff)});
    }

    static CreateRequest read(Optional<String> name, Object tree) {
        name.filter(n -> !n.isEmpty()).ifPresent(ContainerName::of);
        if (tree == null) {
            throw BerthException.invalid("config cannot be empty in order to create a container");
        }
        JsonObject body = JsonObject.root("request body", tree);
        String oldMac = EndpointBody.mac(body.string("MacAddress").orElse("")); // the docker CLI before API 1.44 puts --mac-address here
        ContainerConfig config = ContainerJson.readConfig(body);
        HostConfig hostConfig = body.object("HostConfig").map(ContainerJson::readHostConfig)
                .orElseGet(() -> ContainerJson.readHostConfig(JsonObject.root("request body", java.util.Map.of())));
        if (config.image().isEmpty()) {
            throw BerthException.invalid("Config.Image: an image is required to create a container");
        }
        Map<String, EndpointSettings> endpoints = endpoints(body, hostConfig.networkMode());
        if (!oldMac.isEmpty()) {
            // the container's MAC on its first network: the one its mode names ("default" is the bridge)
            String mode = hostConfig.networkMode();
            String primary = mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
            EndpointSettings asked = endpoints.getOrDefault(primary, EndpointSettings.requested(primary, "", "", List.of()));
            if (asked.requestedMac().isEmpty()) {
                endpoints.put(primary, asked.withRequestedMac(oldMac));
            }
        }
        return new CreateRequest(name, config, hostConfig, endpoints);
    }

    /**
     * NetworkingConfig.EndpointsConfig: network name → what is asked there. "default" with nothing
     * asked is dropped; with an alias or address it is the default bridge's entry, so that the
     * engine answers in dockerd's words ("network-scoped alias is supported only for containers in
     * user defined networks").
     */
    static Map<String, EndpointSettings> endpoints(JsonObject body, String networkMode) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        Optional<JsonObject> networking = body.object("NetworkingConfig");
        if (networking.isEmpty()) {
            return out;
        }
        networking.get().objectMap("EndpointsConfig", e -> e).forEach((network, e) -> {
            EndpointSettings asked = EndpointBody.read(network, e);
            boolean modeOnly = network.equals("default") || network.equals(networkMode) && isPredefinedMode(networkMode);
            if (!(modeOnly && EndpointBody.isEmpty(asked))) {
                out.put(network.equals("default") ? "bridge" : network, asked);
            }
        });
        return out;
    }

    private static boolean isPredefinedMode(String mode) {
        return mode.equals("none") || mode.equals("host") || mode.equals("default") || mode.isEmpty();
    }
}
