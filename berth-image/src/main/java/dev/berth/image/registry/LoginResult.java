package dev.berth.image.registry;

/** POST /auth's answer: {@code {"Status":"Login Succeeded","IdentityToken":""}}. */
public record LoginResult(String status, String identityToken) {
    public static LoginResult succeeded(String identityToken) {
        return new LoginResult("Login Succeeded", identityToken == null ? "" : identityToken);
    }
}
