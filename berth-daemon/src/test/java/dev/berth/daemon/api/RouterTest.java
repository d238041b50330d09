package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route templates, greedy names with slashes, HEAD falling back to GET, and API versions. */
class RouterTest {
    private final RouteHandler none = call -> { };

    private final Router router = new Router()
            .get("/images/json", none)
            .get("/images/{name*}/json", none)
            .delete("/images/{name*}", none)
            .get("/containers/{id}/logs", none);

    private Map<String, String> params(String method, String path) {
        return router.find(method, path).orElseThrow().params();
    }

    @Test
    void specificRoutesWinAndGreedyNamesKeepTheirSlashes() {
        assertThat(router.find("GET", "/images/json").orElseThrow().route().template()).isEqualTo("/images/json");
        assertThat(params("GET", "/images/localhost:5000/a/b:tag/json")).isEqualTo(Map.of("name", "localhost:5000/a/b:tag"));
        assertThat(params("GET", "/images/busybox@sha256:abc/json")).isEqualTo(Map.of("name", "busybox@sha256:abc"));
        assertThat(params("GET", "/images/json/json")).isEqualTo(Map.of("name", "json"));
        assertThat(params("DELETE", "/images/a/b/c")).isEqualTo(Map.of("name", "a/b/c"));
        assertThat(params("GET", "/containers/abc/logs")).isEqualTo(Map.of("id", "abc"));
        assertThat(router.find("GET", "/containers/a/b/logs")).isEmpty();
        assertThat(router.find("POST", "/images/json")).isEmpty();
        assertThat(router.find("HEAD", "/images/json")).isPresent();
    }

    @Test
    void apiVersionsCompareByParts() {
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.10"));
        assertThat(ApiVersion.parse("1")).isEqualTo(new ApiVersion(1, 0));
        assertThat(ApiVersion.negotiate("1.24")).isEqualTo(ApiVersion.MIN);
        assertThatThrownBy(() -> ApiVersion.negotiate("1.48")).hasMessage("client version 1.48 is too new. Maximum supported API version is 1.47");
        assertThatThrownBy(() -> ApiVersion.negotiate("1.23")).hasMessageStartingWith("client version 1.23 is too old. Minimum supported API version is 1.24");
        assertThatThrownBy(() -> ApiVersion.parse("1.2.3")).hasMessage("invalid API version 1.2.3");
    }
}
