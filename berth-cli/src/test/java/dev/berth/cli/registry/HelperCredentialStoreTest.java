package dev.berth.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper protocol against a small shell helper that keeps each server's JSON in a file. */
class HelperCredentialStoreTest {
    @TempDir
    Path dir;

    private void helper(String name) throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Path script = dir.resolve("bin/docker-credential-" + name);
        Files.createDirectories(script.getParent());
        Files.writeString(script, """
                #!/bin/sh
                set -e
                in=$(cat)
                case "$1" in
                  store) key=$(printf '%%s' "$in" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/' | tr '/:' '__')
                         printf '%%s' "$in" > %1$s/"$key" ;;
                  get) key=$(printf '%%s' "$in" | tr '/:' '__')
                       if [ -f %1$s/"$key" ]; then cat %1$s/"$key"; else echo "credentials not found in native keychain"; exit 1; fi ;;
                  erase) key=$(printf '%%s' "$in" | tr '/:' '__'); rm -f %1$s/"$key" ;;
                  *) echo "unknown action"; exit 2 ;;
                esac
                """.formatted(store));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    private DockerConfig config(String json) throws Exception {
        Path cfg = dir.resolve("cfg");
        Files.createDirectories(cfg);
        Files.writeString(cfg.resolve("config.json"), json);
        return DockerConfig.load(cfg).searchPath(dir.resolve("bin").toString());
    }

    @Test
    void storeGetEraseThroughTheHelper() throws Exception {
        helper("t1");
        DockerConfig config = config("{\"auths\":{},\"credsStore\":\"t1\"}");
        CredentialStore store = config.storeFor("h:1");
        assertThat(store.get("h:1")).isEqualTo(AuthConfig.none().withServerAddress("h:1"));
        assertThat(store.store(AuthConfig.of("u", "pw", "h:1"))).isFalse(); // no password in config.json: no warning
        assertThat(Files.readString(dir.resolve("store/h_1"))).isEqualTo(
                "{\"ServerURL\":\"h:1\",\"Username\":\"u\",\"Secret\":\"pw\"}");
        // config.json only records that the helper holds a login for h:1, as docker writes it
        assertThat(Files.readString(dir.resolve("cfg/config.json"))).contains("\"h:1\": {}").doesNotContain("pw");
        assertThat(DockerConfig.load(dir.resolve("cfg")).searchPath(dir.resolve("bin").toString()).storeFor("h:1")
                .get("h:1")).isEqualTo(AuthConfig.of("u", "pw", "h:1"));
        store.store(new AuthConfig("u", "", "h:1", "refresh", ""));
        assertThat(store.get("h:1")).isEqualTo(new AuthConfig("", "", "h:1", "refresh", ""));
        store.erase("h:1");
        assertThat(Files.exists(dir.resolve("store/h_1"))).isFalse();
        assertThat(Files.readString(dir.resolve("cfg/config.json"))).doesNotContain("h:1");
    }

    @Test
    void aMissingOrFailingHelperIsAnError() throws Exception {
        DockerConfig config = config("{\"auths\":{},\"credHelpers\":{\"h:1\":\"absent\"}}");
        assertThatThrownBy(() -> config.storeFor("h:1").get("h:1"))
                .hasMessage("exec: \"docker-credential-absent\": executable file not found in $PATH");
        Path script = dir.resolve("bin/docker-credential-broken");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho boom\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        DockerConfig broken = config("{\"auths\":{},\"credsStore\":\"broken\"}");
        assertThatThrownBy(() -> broken.storeFor("h:1").get("h:1"))
                .hasMessage("error getting credentials - err: exit status 3, out: `boom`");
        assertThatThrownBy(() -> broken.storeFor("h:1").store(AuthConfig.of("u", "p", "h:1")))
                .hasMessageStartingWith("Error saving credentials: error storing credentials - err: exit status 3");
    }
}
