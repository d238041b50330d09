package dev.berth.image.registry;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for one registry, as the docker CLI sends them in X-Registry-Auth (base64url
 * JSON of {@code {"username","password","serveraddress","identitytoken","registrytoken"}}) and
 * in the body of POST /auth. Any field may be "".
 */
public record RegistryCredentials(String username, String password, String serverAddress, String identityToken,
        String registryToken) {
    public RegistryCredentials {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        serverAddress = serverAddress == null ? "" : serverAddress;
        identityToken = identityToken == null ? "" : identityToken;
        registryToken = registryToken == null ? "" : registryToken;
    }

    public static RegistryCredentials anonymous() {
        return new RegistryCredentials("", "", "", "", "");
    }

    public boolean isAnonymous() {
        return username.isEmpty() && password.isEmpty() && identityToken.isEmpty() && registryToken.isEmpty();
    }

    /** Decodes an X-Registry-Auth header (base64url or standard base64, padded or not); null or "" is anonymous. */
    public static RegistryCredentials fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return anonymous();
        }
        byte[] json;
        try {
            String h = header.trim().replace('+', '-').replace('/', '_');
            json = Base64.getUrlDecoder().decode(h.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw BerthException.invalid("invalid X-Registry-Auth header: not base64");
        }
        String text = new String(json, StandardCharsets.UTF_8).trim();
        if (text.isEmpty() || text.equals("{}") || text.equals("null")) {
            return anonymous();
        }
        return fromJson(text);
    }

    /** Parses the JSON form (the body of POST /auth). */
    public static RegistryCredentials fromJson(String text) {
        Object tree = Json.parse(text, "registry credentials");
        if (!(tree instanceof java.util.Map)) {
            throw BerthException.invalid("registry credentials: a JSON object is expected");
        }
        JsonObject o = JsonObject.root("registry credentials", tree);
        return new RegistryCredentials(o.string("username").orElse(""), o.string("password").orElse(""),
                o.string("serveraddress").orElse(""), o.string("identitytoken").orElse(""),
                o.string("registrytoken").orElse(""));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", serverAddress=" + serverAddress + ", secrets hidden]";
    }
}
