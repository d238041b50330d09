package dev.berth.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.berth.oci.BerthException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageJsonTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    // the shape of a config docker build writes (field order alphabetical, as buildkit does)
    private static final String DOCKER_CONFIG = """
            {"architecture":"amd64","config":{"User":"1000","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/usr/bin:/bin"],\
            "Cmd":["sh"],"Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Retries":3},"ArgsEscaped":true,\
            "Volumes":{"/data":{}},"WorkingDir":"/w","Entrypoint":null,"OnBuild":null,"Labels":{"a":"1","b":"2"},"StopSignal":"SIGQUIT"},\
            "created":"2024-01-02T03:04:05.123456789Z","history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD rootfs.tar /"},\
            {"created":"2024-01-02T03:04:06Z","created_by":"CMD [\\"sh\\"]","empty_layer":true}],"os":"linux",\
            "rootfs":{"type":"layers","diff_ids":["%s","%s"]},"docker_version":"24.0.7","unknown":{"kept":"ignored"}}
            """.formatted(A, B).strip();

    @Test
    void parsesADockerConfig() {
        ImageConfig c = ImageJson.parseConfig(DOCKER_CONFIG.getBytes(StandardCharsets.UTF_8));

        assertThat(c.architecture()).isEqualTo("amd64");
        assertThat(c.os()).isEqualTo("linux");
        assertThat(c.created()).isEqualTo("2024-01-02T03:04:05.123456789Z");
        assertThat(c.createdInstant()).contains(Instant.parse("2024-01-02T03:04:05.123456789Z"));
        assertThat(c.diffIds()).containsExactly(Digest.parse(A), Digest.parse(B));
        assertThat(c.config().user()).isEqualTo("1000");
        assertThat(c.config().exposedPorts()).containsExactly("80/tcp", "53/udp");
        assertThat(c.config().volumes()).containsExactly("/data");
        assertThat(c.config().cmd()).containsExactly("sh");
        assertThat(c.config().entrypoint()).isEmpty();
        assertThat(c.config().healthcheck()).contains(new ImageConfig.Healthcheck(List.of("CMD", "true"), 30_000_000_000L, 0, 0, 0, 3));
        assertThat(c.config().labels()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(c.config().argsEscaped()).isTrue();
        assertThat(c.history()).hasSize(2);
        assertThat(c.history().get(1).emptyLayer()).isTrue();
        assertThat(c.history().get(1).createdBy()).isEqualTo("CMD [\"sh\"]");
        assertThat(c.dockerVersion()).isEqualTo("24.0.7");
    }

    @Test
    void writesConfigsInDockersOrderAndReadsThemBack() {
        ImageConfig.Config run = ImageConfig.Config.EMPTY
                .withEnv(List.of("PATH=/bin"))
                .withCmd(List.of("sh"))
                .withExposedPorts(new LinkedHashSet<>(List.of("80/tcp")))
                .withLabels(Map.of("k", "v"));
        ImageConfig config = ImageConfig.of(Platform.of("linux", "amd64"), Instant.parse("2024-05-01T10:00:00Z"), run,
                List.of(Digest.parse(A)), List.of(ImageConfig.History.of(Instant.parse("2024-05-01T10:00:00Z"), "berth import", "Imported from -", false)));

        String json = new String(ImageJson.write(config), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"architecture\":\"amd64\","
                + "\"config\":{\"ExposedPorts\":{\"80/tcp\":{}},\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"Labels\":{\"k\":\"v\"}},"
                + "\"created\":\"2024-05-01T10:00:00Z\","
                + "\"history\":[{\"created\":\"2024-05-01T10:00:00Z\",\"created_by\":\"berth import\",\"comment\":\"Imported from -\"}],"
                + "\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + A + "\"]}}");
        assertThat(ImageJson.parseConfig(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(config);
        assertThat(validate("config-schema.json", json)).isEmpty();
    }

    @Test
    void dockerConfigRoundTripsThroughTheRecords() {
        ImageConfig c = ImageJson.parseConfig(DOCKER_CONFIG.getBytes(StandardCharsets.UTF_8));
        byte[] written = ImageJson.write(c);

        assertThat(ImageJson.parseConfig(written)).isEqualTo(c);
        assertThat(validate("config-schema.json", DOCKER_CONFIG)).isEmpty();
        assertThat(validate("config-schema.json", new String(written, StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void manifestRoundTripsAndConforms() {
        ImageManifest m = ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, Digest.parse(A), 1234),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.parse(B), 5678)
                        .withAnnotations(Map.of("org.opencontainers.image.title", "layer.tar.gz"))));

        String json = new String(ImageJson.write(m), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + A + "\",\"size\":1234},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + B + "\",\"size\":5678,"
                + "\"annotations\":{\"org.opencontainers.image.title\":\"layer.tar.gz\"}}]}");
        assertThat(ImageJson.parseManifest(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(m);
        assertThat(validate("image-manifest-schema.json", json)).isEmpty();
        assertThat(ImageJson.mediaTypeOf(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void indexWithPlatformsRoundTripsAndConforms() {
        Descriptor amd = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(A), 500).withPlatform(Platform.of("linux", "amd64"))
                .withAnnotations(Map.of(ImageIndex.REF_NAME, "1.36"));
        Descriptor arm = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(B), 501)
                .withPlatform(new Platform("arm64", "linux", "", List.of(), "v8"));
        ImageIndex index = ImageIndex.oci(List.of(amd, arm));

        String json = new String(ImageJson.write(index), StandardCharsets.UTF_8);

        assertThat(json).contains("\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}");
        assertThat(ImageJson.parseIndex(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(index);
        assertThat(validate("image-index-schema.json", json)).isEmpty();
        assertThat(arm.platform().orElseThrow().toString()).isEqualTo("linux/arm64/v8");
    }

    @Test
    void mediaTypeIsGuessedFromShapeWhenAbsent() {
        assertThat(ImageJson.mediaTypeOf("{\"schemaVersion\":2,\"manifests\":[]}".getBytes())).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(ImageJson.mediaTypeOf(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}").getBytes()))
                .isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThatThrownBy(() -> ImageJson.mediaTypeOf("{}".getBytes())).isInstanceOf(BerthException.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"os":"linux","rootfs":{"type":"layers","diff_ids":[]}}                          | image config: architecture: required
            {"architecture":"amd64","os":"linux"}                                              | image config: rootfs: required
            {"architecture":"amd64","os":"linux","rootfs":{"type":"tar","diff_ids":[]}}      | image config: rootfs.type: must be "layers", got "tar"
            {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:xyz"]}} | image config: rootfs.diff_ids[0]: invalid sha256 digest "xyz"
            {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Env":"A=1"}} | image config: config.Env: expected an array, got string
            {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":[{"empty_layer":"yes"}]} | image config: history[0].empty_layer: expected a boolean, got string
            {"architecture":"amd64",                                                           | image config: malformed JSON
            """)
    void badConfigsNameTheField(String json, String message) {
        assertThatThrownBy(() -> ImageJson.parseConfig(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"mediaType":"x/y","layers":[]}                                                    | image manifest: schemaVersion: required
            {"schemaVersion":1,"config":{}}                                                    | image manifest: schemaVersion: unsupported version 1, want 2
            {"schemaVersion":2,"layers":[]}                                                    | image manifest: config: required
            {"schemaVersion":2,"config":{"digest":"%1$s","size":1}}                            | image manifest: config.mediaType: required
            {"schemaVersion":2,"config":{"mediaType":"a/b","digest":"%1$s","size":-1}}         | image manifest: config.size: must not be negative, got -1
            {"schemaVersion":2,"config":{"mediaType":"a/b","digest":"%1$s","size":1},"layers":[{"mediaType":"a/b","digest":"md5:00","size":1}]} | image manifest: layers[0].digest: unsupported digest algorithm "md5"
            {"schemaVersion":2,"config":{"mediaType":"no slash","digest":"%1$s","size":1}}      | image manifest: config.mediaType: invalid media type "no slash"
            """)
    void badManifestsNameTheField(String json, String message) {
        assertThatThrownBy(() -> ImageJson.parseManifest(json.formatted(C).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BerthException.class)
                .hasMessage(message);
    }

    @Test
    void badIndexNamesTheField() {
        String json = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"" + A + "\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]}";
        assertThatThrownBy(() -> ImageJson.parseIndex(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("image index: manifests[0].platform.architecture: required");
    }

    @Test
    void theSchemaCheckCanFail() {
        assertThat(validate("image-manifest-schema.json", "{\"schemaVersion\":2,\"config\":{\"mediaType\":7}}")).isNotEmpty();
    }

    @Test
    void timesAreWrittenAsGosRfc3339Nano() {
        assertThat(ImageConfig.formatTime(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(ImageConfig.formatTime(Instant.parse("2024-01-02T03:04:05.100Z"))).isEqualTo("2024-01-02T03:04:05.1Z");
        assertThat(ImageConfig.formatTime(Instant.parse("2024-01-02T03:04:05.268597128Z"))).isEqualTo("2024-01-02T03:04:05.268597128Z");
        assertThat(ImageConfig.parseTime("2024-01-02T04:04:05+01:00")).contains(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(ImageConfig.parseTime("garbage")).isEmpty();
        // the hand-written fast path agrees with the formatter, and leaves odd forms to it
        for (String t : java.util.List.of("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.5Z", "2026-11-26T08:30:44.318565987Z",
                "2024-01-02T03:04:05.000000001-07:30", "2024-02-29T23:59:59+14:00", "2024-01-02t03:04:05z",
                "2024-01-02T03:04Z", "2024-01-02T03:04:05.1234567891Z", "2024-01-02T03:04:05.Z")) {
            java.util.Optional<Instant> slow;
            try {
                slow = java.util.Optional.of(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(t, Instant::from));
            } catch (java.time.format.DateTimeParseException e) {
                slow = java.util.Optional.empty();
            }
            assertThat(ImageConfig.parseTime(t)).as(t).isEqualTo(slow);
        }
        assertThat(ImageConfig.parseTime("2023-02-29T03:04:05Z")).isEmpty();
        assertThat(ImageConfig.parseTime("2024-13-02T03:04:05Z")).isEmpty();
    }

    @Test
    void mediaTypeClassification() {
        assertThat(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST)).isTrue();
        assertThat(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST)).isTrue();
        assertThat(MediaTypes.isLayer(MediaTypes.OCI_LAYER_ZSTD)).isTrue();
        assertThat(MediaTypes.isConfig(MediaTypes.DOCKER_CONFIG)).isTrue();
        assertThat(MediaTypes.isNonDistributable(MediaTypes.DOCKER_LAYER_FOREIGN)).isTrue();
    }

    private static Set<ValidationMessage> validate(String schemaFile, String json) {
        Path dir = Path.of(System.getProperty("berth.specs", "/work/shared/specs"), "oci-image", "schema");
        assumeTrue(Files.isRegularFile(dir.resolve(schemaFile)), "skipped: image-spec schemas not found at " + dir + " (set -Dberth.specs)");
        // the schemas name each other by their https ids; serve those from the local copy
        String local = dir.toUri().toString();
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                        builder -> builder.schemaMappers(m -> m
                                .mapPrefix("https://opencontainers.org/schema/image/", local)
                                .mapPrefix("https://opencontainers.org/schema/", local)))
                .getSchema(SchemaLocation.of(dir.resolve(schemaFile).toUri().toString()));
        return schema.validate(json, InputFormat.JSON);
    }
}
