package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.BerthException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorBodiesTest {
    private static RegistryError parse(int status, String body) {
        return ErrorBodies.toError(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wordsTheSpecsErrorsAsDistributionsClientDoes() {
        RegistryError e = parse(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{}},"
                + "{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
        assertThat(e.getMessage()).isEqualTo("manifest unknown: manifest unknown, name unknown: repository name not known to registry");
        assertThat(e.codes()).containsExactly("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
        assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
    }

    @Test
    void aBodyThatIsNotTheSpecsJsonGivesTheStatus() {
        assertThat(parse(502, "<html>bad gateway</html>").getMessage()).isEqualTo("received unexpected HTTP status: 502 Bad Gateway");
        assertThat(parse(401, "").kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED);
        assertThat(parse(403, "[1,2]").kind()).isEqualTo(BerthException.Kind.FORBIDDEN);
        assertThat(parse(400, "{\"errors\":\"nope\"}").kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
    }
}
