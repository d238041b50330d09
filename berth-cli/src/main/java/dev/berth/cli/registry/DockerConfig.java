package dev.berth.cli.registry;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * docker's {@code config.json} ({@code configfile.ConfigFile}) as far as logins go: the {@code auths}
 * map (each entry's {@code auth} is base64 {@code user:password}; {@code identitytoken} a refresh
 * token), {@code credsStore} and {@code credHelpers}. Every other key is kept as read and written
 * back in place (docker drops keys it does not know; berth does not, so both tools can share the
 * file). Saved as docker saves it: tab-indented, no final newline, mode 0600 in a 0700
 * directory, through a temporary file renamed over the old one.
 */
public final class DockerConfig {
    public static final String FILE_NAME = "config.json";

    private final Path file;
    private final Map<String, Object> tree;
    private String searchPath = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");

    private DockerConfig(Path file, Map<String, Object> tree) {
        this.file = file;
        this.tree = tree;
    }

    /** Where credential helpers are looked for (the user's PATH, which may not be this JVM's). */
    public DockerConfig searchPath(String path) {
        if (path != null && !path.isEmpty()) {
            this.searchPath = path;
        }
        return this;
    }

    String searchPath() {
        return searchPath;
    }

    /**
     * The config directory docker would use: the --config flag, else DOCKER_CONFIG, else
     * {@code $HOME/.docker}.
     */
    public static Path directory(String flag, Map<String, String> env) {
        if (flag != null && !flag.isEmpty()) {
            return Path.of(flag);
        }
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".docker");
    }

    /** Reads {@code dir/config.json}; a missing or empty file is an empty config. */
    public static DockerConfig load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new DockerConfig(file, fresh());
        } catch (IOException e) {
            throw new UncheckedIOException("loading config file: " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            return new DockerConfig(file, fresh());
        }
        Object parsed;
        try {
            parsed = Json.parse(text, file.toString());
        } catch (BerthException e) {
            throw new IllegalArgumentException("loading config file: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("loading config file: " + file + ": a JSON object is expected");
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        map.forEach((k, v) -> tree.put((String) k, v));
        if (!(tree.get("auths") instanceof Map)) {
            Map<String, Object> withAuths = new LinkedHashMap<>();
            withAuths.put("auths", new LinkedHashMap<>());
            tree.forEach((k, v) -> {
                if (!k.equals("auths")) {
                    withAuths.put(k, v);
                }
            });
            return new DockerConfig(file, withAuths);
        }
        return new DockerConfig(file, tree);
    }

    private static Map<String, Object> fresh() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("auths", new LinkedHashMap<>());
        return tree;
    }

    public Path file() {
        return file;
    }

    /** {@code credsStore}: the helper for every registry without its own, or empty. */
    public Optional<String> credsStore() {
        return tree.get("credsStore") instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    /** The credential helper for one registry key: {@code credHelpers[key]}, else {@code credsStore}. */
    public Optional<String> helperFor(String key) {
        if (tree.get("credHelpers") instanceof Map<?, ?> helpers && helpers.get(key) instanceof String s
                && !s.isEmpty()) {
            return Optional.of(s);
        }
        return credsStore();
    }

    /** The store docker's {@code GetCredentialsStore(key)} picks: a helper when one is configured, else this file. */
    public CredentialStore storeFor(String key) {
        return helperFor(key).<CredentialStore>map(helper -> new HelperCredentialStore(helper, this))
                .orElseGet(() -> new FileCredentialStore(this));
    }

    /** The entry filed under exactly {@code key}, or else one whose key reduces to the same host (old files kept URLs). */
    Optional<AuthConfig> auth(String key) {
        Map<String, Object> auths = auths();
        Object entry = auths.get(key);
        if (!(entry instanceof Map)) {
            entry = null;
            for (Map.Entry<String, Object> e : auths.entrySet()) {
                if (key.equals(RegistryAddress.toHostname(e.getKey())) && e.getValue() instanceof Map) {
                    entry = e.getValue();
                    break;
                }
            }
        }
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(decode(key, (Map<?, ?>) entry));
    }

    private AuthConfig decode(String key, Map<?, ?> entry) {
        String username = entry.get("username") instanceof String s ? s : "";
        String password = entry.get("password") instanceof String s ? s : "";
        if (entry.get("auth") instanceof String auth && !auth.isEmpty()) {
            String plain;
            try {
                plain = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("loading config file: " + file + ": illegal base64 data in auth of "
                        + key);
            }
            int colon = plain.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("loading config file: " + file + ": invalid auth configuration file");
            }
            username = plain.substring(0, colon);
            password = plain.substring(colon + 1).replace("\0", "");
        }
        String identity = entry.get("identitytoken") instanceof String s ? s : "";
        String registry = entry.get("registrytoken") instanceof String s ? s : "";
        return new AuthConfig(username, password, key, identity, registry);
    }

    /**
     * Files {@code auth} under its server address as docker writes it ({@code auth} for user and
     * password, {@code identitytoken}); false when the entry already said exactly that (docker
     * then leaves the file alone).
     */
    boolean putAuth(AuthConfig auth) {
        Map<String, Object> entry = new LinkedHashMap<>();
        if (!auth.username().isEmpty() || !auth.password().isEmpty()) {
            entry.put("auth", auth.basicAuth());
        }
        if (!auth.identityToken().isEmpty()) {
            entry.put("identitytoken", auth.identityToken());
        }
        if (!auth.registryToken().isEmpty()) {
            entry.put("registrytoken", auth.registryToken());
        }
        Object old = auths().put(auth.serverAddress(), entry);
        return !entry.equals(old);
    }

    /** Removes the entry filed under exactly {@code key}; false when there was none. */
    boolean removeAuth(String key) {
        return auths().remove(key) != null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> auths() {
        Object auths = tree.get("auths");
        if (auths instanceof LinkedHashMap<?, ?> || auths instanceof TreeMap<?, ?>) {
            return (Map<String, Object>) auths;
        }
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) auths);
        tree.put("auths", copy);
        return copy;
    }

    /** Writes the file (temp file in the same directory, then rename). */
    public void save() {
        Map<String, Object> out = new LinkedHashMap<>(tree);
        out.put("auths", Json.sortedByKey(auths())); // a Go map: keys sorted
        byte[] bytes = Json.writeIndented(out, "\t").getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
            Path temp = Files.createTempFile(dir, FILE_NAME, null,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("Error saving credentials: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Error saving credentials: " + file + ": " + e.getMessage(), e);
        }
    }
}
