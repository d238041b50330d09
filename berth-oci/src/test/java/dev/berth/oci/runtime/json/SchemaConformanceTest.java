package dev.berth.oci.runtime.json;

import static dev.berth.oci.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.berth.oci.runtime.DefaultSpec;
import dev.berth.oci.runtime.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden fixtures and everything berth writes, checked against the runtime-spec's own JSON
 * schemas (draft-04). The schemas live in the shared spec checkout, not in this repository;
 * set -Dberth.specs to its directory if it is not at /work/shared/specs.
 */
class SchemaConformanceTest {
    private static Path schemaDir;

    @BeforeAll
    static void findSchemas() {
        schemaDir = Path.of(System.getProperty("berth.specs", "/work/shared/specs"), "oci-runtime", "schema");
        assumeTrue(Files.isRegularFile(schemaDir.resolve("config-schema.json")),
                "skipped: runtime-spec schemas not found at " + schemaDir + " (set -Dberth.specs)");
    }

    private static Set<ValidationMessage> check(String schemaFile, String json) {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(SchemaLocation.of(schemaDir.resolve(schemaFile).toUri().toString()));
        return schema.validate(json, InputFormat.JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc/spec.json", "runc/spec-rootless.json", "spec/full-config.json"})
    void configFixturesAndTheirRewritesConform(String fixture) {
        String json = read(fixture);

        assertThat(check("config-schema.json", json)).isEmpty();
        assertThat(check("config-schema.json", SpecJson.write(SpecJson.parse(json)))).isEmpty();
    }

    @Test
    void defaultSpecConforms() {
        assertThat(check("config-schema.json", DefaultSpec.json(false))).isEmpty();
        assertThat(check("config-schema.json", DefaultSpec.json(true))).isEmpty();
    }

    @Test
    void theSchemaCheckCanFail() {
        // guards against a validator that silently accepts everything (e.g. unresolved $refs)
        assertThat(check("config-schema.json", "{\"ociVersion\": \"1.2.0\", \"process\": {\"cwd\": 7}}")).isNotEmpty();
    }

    @Test
    void stateConforms() {
        State state = new State("1.2.0", "web", State.Status.RUNNING, 4242, "/b", "/b/rootfs",
                "2024-05-01T10:00:00Z", "", Map.of("a", "b"));

        assertThat(check("state-schema.json", read("runc/state.json"))).isEmpty();
        assertThat(check("state-schema.json", StateJson.write(state))).isEmpty();
    }

    @Test
    void featuresConform() {
        assertThat(check("features-schema.json", read("runc/features.json"))).isEmpty();
        assertThat(check("features-schema.json", FeaturesJson.write())).isEmpty();
    }
}
