package dev.berth.engine;

import java.util.Optional;

/** The wait route's answer: {@code {"StatusCode": n, "Error": {"Message": "…"}}} (Error only when there is one). */
public record WaitResult(int statusCode, Optional<String> error) {
    public static WaitResult of(int code, String error) {
        return new WaitResult(code, error == null || error.isEmpty() ? Optional.empty() : Optional.of(error));
    }
}
