package dev.berth.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --insecure-registry and --registry-mirror, from flags and daemon.json, checked as dockerd checks them. */
class RegistrySettingsTest {
    @TempDir
    Path dir;

    private DaemonConfig load(String... args) {
        return DaemonConfig.load(CommandLine.parse(List.of(args)));
    }

    private Path file(String json) throws Exception {
        Path f = dir.resolve("daemon.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void flagsRepeatAndDaemonJsonListsSayTheSame() throws Exception {
        RegistryOptions none = load("--config-file", file("{}").toString()).registry();
        assertThat(none.insecureRegistries()).isEmpty();
        assertThat(none.registryMirrors()).isEmpty();

        RegistryOptions flags = load("--insecure-registry", "reg.local:5000", "--insecure-registry=10.1.0.0/16",
                "--insecure-registry", "http://plain.example", "--registry-mirror", "https://mirror.example",
                "--registry-mirror=http://10.0.0.2:5000/", "--config-file", file("{}").toString()).registry();
        assertThat(flags.insecureRegistries()).containsExactly("reg.local:5000", "10.1.0.0/16", "plain.example");
        assertThat(flags.registryMirrors()).containsExactly("https://mirror.example/", "http://10.0.0.2:5000/");

        Path json = file("{\"insecure-registries\": [\"reg.local:5000\", \"[::1]:5000\"],"
                + " \"registry-mirrors\": [\"https://mirror.example/\"]}");
        RegistryOptions fromFile = load("--config-file", json.toString()).registry();
        assertThat(fromFile.insecureRegistries()).containsExactly("reg.local:5000", "[::1]:5000");
        assertThat(fromFile.registryMirrors()).containsExactly("https://mirror.example/");
        assertThatThrownBy(() -> load("--registry-mirror", "https://b.example", "--config-file", json.toString()))
                .hasMessageContaining("specified both as a flag and in the configuration file: registry-mirrors");
    }

    @Test
    void badEntriesAreRefusedInDockerdsWords() throws Exception {
        String none = file("{}").toString();
        assertThatThrownBy(() -> load("--insecure-registry", "ftp://x", "--config-file", none))
                .hasMessage("insecure registry ftp://x should not contain '://'");
        assertThatThrownBy(() -> load("--insecure-registry", "bad host", "--config-file", none))
                .hasMessage("insecure registry bad host is not valid");
        assertThatThrownBy(() -> load("--insecure-registry", "10.0.0.0/99", "--config-file", none))
                .hasMessage("insecure registry 10.0.0.0/99 is not valid");
        assertThatThrownBy(() -> load("--registry-mirror", "ftp://m.example", "--config-file", none))
                .hasMessage("invalid mirror: unsupported scheme \"ftp\" in \"ftp://m.example\"");
        assertThatThrownBy(() -> load("--registry-mirror", "https://m.example/v2/", "--config-file", none))
                .hasMessage("invalid mirror: path, query, or fragment at end of the URI \"https://m.example/v2/\"");
        assertThatThrownBy(() -> load("--registry-mirror", "https://u:p@m.example", "--config-file", none))
                .hasMessage("invalid mirror: username/password not allowed in URI \"https://u:p@m.example\"");
        assertThatThrownBy(() -> load("--registry-mirror", "m.example", "--config-file", none))
                .hasMessageStartingWith("invalid mirror: unsupported scheme");
        Path wrongType = file("{\"insecure-registries\": \"reg.local\"}");
        assertThatThrownBy(() -> load("--config-file", wrongType.toString()))
                .hasMessageContaining("insecure-registries must be a list of strings");
    }

    @Test
    void cidrsAreNormalizedToTheirNetwork() {
        assertThat(Cidrs.network("10.1.2.3/8")).contains("10.0.0.0/8");
        assertThat(Cidrs.network("127.0.0.1/32")).contains("127.0.0.1/32");
        assertThat(Cidrs.network("fd00:0:0:0:1::7/64")).contains("fd00::/64");
        assertThat(Cidrs.network("2001:db8:0:1:0:0:0:1/128")).contains("2001:db8:0:1::1/128");
        assertThat(Cidrs.network("::1/128")).contains("::1/128");
        assertThat(Cidrs.network("localhost/8")).isEmpty();
        assertThat(Cidrs.network("10.0.0/8")).isEmpty();
        assertThat(Cidrs.network("10.0.0.0/33")).isEmpty();
        assertThat(Cidrs.network("10.0.0.0")).isEmpty();
    }
}
