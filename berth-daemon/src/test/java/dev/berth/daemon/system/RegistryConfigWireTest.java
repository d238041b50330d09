package dev.berth.daemon.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /info's RegistryConfig, in dockerd 20.10's shape (recorded from its /info). */
class RegistryConfigWireTest {
    @Test
    void defaultsAreDockerdsDefaults() {
        assertThat(Json.write(RegistryConfigWire.of(RegistryOptions.defaults()))).isEqualTo(
                "{\"AllowNondistributableArtifactsCIDRs\":[],\"AllowNondistributableArtifactsHostnames\":[],"
                        + "\"InsecureRegistryCIDRs\":[\"127.0.0.0/8\"],\"IndexConfigs\":{\"docker.io\":{\"Name\":\"docker.io\","
                        + "\"Mirrors\":[],\"Secure\":true,\"Official\":true}},\"Mirrors\":[]}");
    }

    @Test
    void insecureHostsAreIndexConfigsCidrsComeFirstAndMirrorsGoToDockerIo() {
        RegistryOptions options = new RegistryOptions(List.of("reg.local:5000", "10.1.2.3/16", "127.0.0.0/8"),
                List.of("https://mirror.example/"), Path.of("/nonexistent"));
        assertThat(Json.write(RegistryConfigWire.of(options))).isEqualTo(
                "{\"AllowNondistributableArtifactsCIDRs\":[],\"AllowNondistributableArtifactsHostnames\":[],"
                        + "\"InsecureRegistryCIDRs\":[\"10.1.0.0/16\",\"127.0.0.0/8\"],"
                        + "\"IndexConfigs\":{\"docker.io\":{\"Name\":\"docker.io\",\"Mirrors\":[\"https://mirror.example/\"],"
                        + "\"Secure\":true,\"Official\":true},\"reg.local:5000\":{\"Name\":\"reg.local:5000\",\"Mirrors\":[],"
                        + "\"Secure\":false,\"Official\":false}},\"Mirrors\":[\"https://mirror.example/\"]}");
    }
}
