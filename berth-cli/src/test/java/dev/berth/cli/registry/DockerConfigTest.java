package dev.berth.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.output.ImageName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
    @TempDir
    Path dir;

    @Test
    void aLoginIsSavedAsDockerSavesIt() throws Exception {
        DockerConfig config = DockerConfig.load(dir.resolve("new"));
        CredentialStore store = config.storeFor("127.0.0.1:5000");
        assertThat(store).isInstanceOf(FileCredentialStore.class);
        assertThat(store.store(AuthConfig.of("u", "pw", "127.0.0.1:5000"))).isTrue();
        Path file = dir.resolve("new/config.json");
        assertThat(Files.readString(file)).isEqualTo("{\n\t\"auths\": {\n\t\t\"127.0.0.1:5000\": {\n\t\t\t\"auth\": \"dTpwdw==\"\n"
                + "\t\t}\n\t}\n}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        // the same login again changes nothing, so docker neither rewrites the file nor warns
        assertThat(DockerConfig.load(dir.resolve("new")).storeFor("127.0.0.1:5000")
                .store(AuthConfig.of("u", "pw", "127.0.0.1:5000"))).isFalse();
        AuthConfig back = DockerConfig.load(dir.resolve("new")).storeFor("127.0.0.1:5000").get("127.0.0.1:5000");
        assertThat(back).isEqualTo(AuthConfig.of("u", "pw", "127.0.0.1:5000"));
        try (var files = Files.list(dir.resolve("new"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json"); // no temp file left
        }
    }

    @Test
    void otherKeysAreKeptAndAuthsSorted() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"psFormat":"table {{.ID}}","auths":{"z.example":{"auth":"ejp6"}},"detachKeys":"ctrl-x"}""");
        DockerConfig config = DockerConfig.load(dir);
        config.storeFor("a.example").store(AuthConfig.of("a", "b<c", "a.example"));
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("""
                {
                	"psFormat": "table {{.ID}}",
                	"auths": {
                		"a.example": {
                			"auth": "YTpiPGM="
                		},
                		"z.example": {
                			"auth": "ejp6"
                		}
                	},
                	"detachKeys": "ctrl-x"
                }""");
    }

    @Test
    void oldUrlKeysAreFoundByTheirHost() throws Exception {
        String auth = Base64.getEncoder().encodeToString("u:p:with:colons".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"https://reg.example:5000/v1/\":{\"auth\":\"" + auth
                + "\",\"identitytoken\":\"tok\"}}}");
        AuthConfig found = DockerConfig.load(dir).storeFor("reg.example:5000").get("reg.example:5000");
        assertThat(found.username()).isEqualTo("u");
        assertThat(found.password()).isEqualTo("p:with:colons");
        assertThat(found.identityToken()).isEqualTo("tok");
        assertThat(DockerConfig.load(dir).storeFor("other").get("other")).isEqualTo(AuthConfig.none());
    }

    @Test
    void logoutLeavesAnEmptyAuthsObject() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"h:1\":{\"auth\":\"dTpw\"}}}");
        DockerConfig.load(dir).storeFor("h:1").erase("h:1");
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("{\n\t\"auths\": {}\n}");
    }

    @Test
    void badFilesAreRefusedWithTheirName() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"auths\":");
        assertThatThrownBy(() -> DockerConfig.load(dir)).hasMessageContaining("loading config file")
                .hasMessageContaining("config.json");
        Files.writeString(dir.resolve("config.json"), "[]");
        assertThatThrownBy(() -> DockerConfig.load(dir)).hasMessageContaining("a JSON object is expected");
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"h\":{\"auth\":\"bm9jb2xvbg==\"}}}"); // "nocolon"
        assertThatThrownBy(() -> DockerConfig.load(dir).storeFor("h").get("h"))
                .hasMessageContaining("invalid auth configuration file");
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"h\":{\"auth\":\"***\"}}}");
        assertThatThrownBy(() -> DockerConfig.load(dir).storeFor("h").get("h")).hasMessageContaining("illegal base64");
        Files.writeString(dir.resolve("config.json"), "  \n");
        assertThat(DockerConfig.load(dir).storeFor("h").get("h")).isEqualTo(AuthConfig.none());
    }

    @Test
    void helpersArePickedPerRegistryThenForAll() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"auths":{},"credsStore":"all","credHelpers":{"one.example":"one"}}""");
        DockerConfig config = DockerConfig.load(dir);
        assertThat(config.helperFor("one.example")).contains("one");
        assertThat(config.helperFor("two.example")).contains("all");
        assertThat(config.storeFor("two.example")).isInstanceOf(HelperCredentialStore.class);
    }

    @Test
    void theConfigDirectoryIsTheFlagThenDockerConfigThenHome() {
        assertThat(DockerConfig.directory("/f", Map.of("DOCKER_CONFIG", "/e", "HOME", "/h"))).isEqualTo(Path.of("/f"));
        assertThat(DockerConfig.directory(null, Map.of("DOCKER_CONFIG", "/e", "HOME", "/h"))).isEqualTo(Path.of("/e"));
        assertThat(DockerConfig.directory("", Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.docker"));
    }

    @Test
    void dockerHubIsFiledUnderTheIndexServer() {
        assertThat(RegistryAddress.keyFor(ImageName.parse("busybox"))).isEqualTo("https://index.docker.io/v1/");
        assertThat(RegistryAddress.keyFor(ImageName.parse("127.0.0.1:5000/a/b:1"))).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryAddress.toHostname("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryAddress.toHostname("reg.example")).isEqualTo("reg.example");
    }

    @Test
    void theHeaderIsBase64urlJsonWithoutEmptyFields() {
        assertThat(AuthConfig.none().encode()).isEqualTo("e30=");
        String header = AuthConfig.of("u", "p?>", "h:1").encode();
        assertThat(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
                .isEqualTo("{\"username\":\"u\",\"password\":\"p?\\u003e\",\"serveraddress\":\"h:1\"}");
        assertThat(AuthConfig.of("u", "hunter2", "h").toString()).doesNotContain("hunter2");
    }
}
