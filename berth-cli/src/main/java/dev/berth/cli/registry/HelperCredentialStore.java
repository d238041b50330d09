package dev.berth.cli.registry;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Logins kept by a credential helper, {@code docker-credential-<name>} on PATH, spoken to as
 * docker-credential-helpers' protocol says: the action as the argument, the server URL (get,
 * erase) or {@code {"ServerURL","Username","Secret"}} (store) on stdin, JSON on stdout. A
 * username of {@code <token>} marks the secret as an identity token. As docker does,
 * config.json keeps an empty entry for each registry a helper holds.
 */
public final class HelperCredentialStore implements CredentialStore {
    private static final String TOKEN_USERNAME = "<token>";
    private static final String NOT_FOUND = "credentials not found in native keychain";

    private final String program;
    private final DockerConfig config;

    HelperCredentialStore(String helper, DockerConfig config) {
        this.program = "docker-credential-" + helper;
        this.config = config;
    }

    @Override
    public AuthConfig get(String key) {
        Result r = call("get", key);
        if (r.status != 0) {
            if (r.out.strip().equals(NOT_FOUND)) {
                return AuthConfig.none().withServerAddress(key);
            }
            throw new IllegalStateException("error getting credentials - err: exit status " + r.status + ", out: `"
                    + r.out.strip() + "`");
        }
        JsonObject o;
        try {
            o = JsonObject.root(program, Json.parse(r.out, program));
        } catch (BerthException e) {
            throw new IllegalStateException("error getting credentials - err: " + e.getMessage());
        }
        String username = o.string("Username").orElse("");
        String secret = o.string("Secret").orElse("");
        if (username.equals(TOKEN_USERNAME)) {
            return new AuthConfig("", "", key, secret, "");
        }
        return new AuthConfig(username, secret, key, "", "");
    }

    @Override
    public boolean store(AuthConfig auth) {
        Map<String, Object> creds = new LinkedHashMap<>();
        creds.put("ServerURL", auth.serverAddress());
        boolean token = !auth.identityToken().isEmpty();
        creds.put("Username", token ? TOKEN_USERNAME : auth.username());
        creds.put("Secret", token ? auth.identityToken() : auth.password());
        Result r = call("store", Json.write(creds));
        if (r.status != 0) {
            throw new IllegalStateException("Error saving credentials: error storing credentials - err: exit status "
                    + r.status + ", out: `" + r.out.strip() + "`");
        }
        // the file keeps only that this registry has a login, not the secret
        if (config.putAuth(AuthConfig.none().withServerAddress(auth.serverAddress()))) {
            config.save();
        }
        return false;
    }

    @Override
    public void erase(String key) {
        Result r = call("erase", key);
        if (r.status != 0 && !r.out.strip().equals(NOT_FOUND)) {
            throw new IllegalStateException("error erasing credentials - err: exit status " + r.status + ", out: `"
                    + r.out.strip() + "`");
        }
        if (config.removeAuth(key)) {
            config.save();
        }
    }

    private record Result(int status, String out) {}

    /** The helper on the user's PATH, as Go's exec.LookPath finds it. */
    private Path executable() {
        for (String dir : config.searchPath().split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("exec: \"" + program + "\": executable file not found in $PATH");
    }

    private Result call(String action, String input) {
        Process p;
        try {
            p = new ProcessBuilder(executable().toString(), action).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("exec: \"" + program + "\": " + e.getMessage(), e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException helperStoppedReading) {
                // a helper may answer (and exit) without reading its input: its exit status says what happened
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " " + action + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(program + " " + action + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program + " " + action + " interrupted", e);
        }
    }
}
