package dev.berth.cli.registry;

import dev.berth.oci.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docker's {@code registry.AuthConfig}: what the CLI knows about one registry login. Empty
 * strings stand for absent fields, as Go's {@code omitempty} leaves them out.
 *
 * @param serverAddress  the key it is filed under (a host such as {@code 127.0.0.1:5000}, or
 *                       {@code https://index.docker.io/v1/})
 * @param identityToken  a refresh token the registry handed out instead of keeping the password
 */
public record AuthConfig(String username, String password, String serverAddress, String identityToken,
        String registryToken) {
    public AuthConfig {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        serverAddress = serverAddress == null ? "" : serverAddress;
        identityToken = identityToken == null ? "" : identityToken;
        registryToken = registryToken == null ? "" : registryToken;
    }

    /** No credentials: the header is then {@code e30=} (base64 of {@code {}}), which dockerd requires on push. */
    public static AuthConfig none() {
        return new AuthConfig("", "", "", "", "");
    }

    public static AuthConfig of(String username, String password, String serverAddress) {
        return new AuthConfig(username, password, serverAddress, "", "");
    }

    public AuthConfig withServerAddress(String address) {
        return new AuthConfig(username, password, address, identityToken, registryToken);
    }

    /** The JSON object docker sends (POST /auth) and encodes (X-Registry-Auth), fields in Go's order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfSet(m, "username", username);
        putIfSet(m, "password", password);
        putIfSet(m, "serveraddress", serverAddress);
        putIfSet(m, "identitytoken", identityToken);
        putIfSet(m, "registrytoken", registryToken);
        return m;
    }

    /** {@code registrytypes.EncodeAuthConfig}: base64url (padded) of the JSON. */
    public String encode() {
        return Base64.getUrlEncoder().encodeToString(Json.write(toJson()).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code auth} field of config.json: base64 of {@code user:password}. */
    String basicAuth() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "AuthConfig[username=" + username + ", serverAddress=" + serverAddress + ", secrets hidden]";
    }
}
