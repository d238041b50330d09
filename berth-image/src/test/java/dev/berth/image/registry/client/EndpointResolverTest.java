package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.RegistryOptions;
import dev.berth.oci.BerthException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointResolverTest {
    private static EndpointResolver resolver(List<String> insecure, List<String> mirrors) {
        return new EndpointResolver(new RegistryOptions(insecure, mirrors, Path.of("/nonexistent")));
    }

    @Test
    void dockerHubGoesToRegistry1AfterTheMirrors() {
        List<RegistryEndpoint> e = resolver(List.of(), List.of("https://mirror.example/", "http://127.0.0.1:5555"))
                .endpoints("docker.io");
        assertThat(e).extracting(x -> x.base().toString())
                .containsExactly("https://mirror.example", "http://127.0.0.1:5555", "https://registry-1.docker.io");
        assertThat(e).extracting(RegistryEndpoint::mirror).containsExactly(true, true, false);
    }

    @Test
    void loopbackIsAlwaysInsecureAndTriesHttpsThenHttp() {
        List<RegistryEndpoint> e = resolver(List.of(), List.of()).endpoints("127.0.0.1:5000");
        assertThat(e).extracting(RegistryEndpoint::base)
                .containsExactly(URI.create("https://127.0.0.1:5000"), URI.create("http://127.0.0.1:5000"));
        assertThat(e.getFirst().skipVerify()).isTrue();
        assertThat(resolver(List.of(), List.of()).endpoints("localhost:5000")).hasSize(2);
        assertThat(resolver(List.of(), List.of()).endpoints("[::1]:5000")).hasSize(2);
    }

    @Test
    void otherHostsAreSecureUnlessListedByNameOrCidr() {
        EndpointResolver plain = resolver(List.of(), List.of());
        assertThat(plain.endpoints("10.1.2.3:5000")).hasSize(1).allSatisfy(x -> assertThat(x.skipVerify()).isFalse());
        EndpointResolver listed = resolver(List.of("10.0.0.0/8", "myregistry.internal:5000", "http://other.internal/"),
                List.of());
        assertThat(listed.endpoints("10.1.2.3:5000")).hasSize(2);
        assertThat(listed.endpoints("11.1.2.3:5000")).hasSize(1);
        assertThat(listed.isInsecure("myregistry.internal:5000")).isTrue();
        assertThat(listed.isInsecure("myregistry.internal:5001")).isFalse();
        assertThat(listed.isInsecure("other.internal")).isTrue();
    }

    @Test
    void aBadCidrIsRefused() {
        assertThatThrownBy(() -> resolver(List.of("10.0.0.0/33"), List.of()))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage()).isEqualTo("invalid CIDR 10.0.0.0/33"));
    }
}
