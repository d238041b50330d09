package dev.berth.image.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void parsesABearerChallengeWithQuotedCommas() {
        List<AuthChallenge> all = AuthChallenge.parseAll(List.of(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\""));
        assertThat(all).hasSize(1);
        AuthChallenge c = all.getFirst();
        assertThat(c.isBearer()).isTrue();
        assertThat(c.parameter("realm")).hasValue("https://auth.example/token");
        assertThat(c.parameter("service")).hasValue("registry.example");
        assertThat(c.parameter("scope")).hasValue("repository:a/b:pull,push");
    }

    @Test
    void parsesSeveralChallengesAndCaseInsensitiveSchemes() {
        List<AuthChallenge> all = AuthChallenge.parseAll(List.of("basic realm=\"Registry Realm\", BEARER realm=x, service=y",
                "Negotiate"));
        assertThat(all).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer", "negotiate");
        assertThat(all.get(0).parameter("realm")).hasValue("Registry Realm");
        assertThat(all.get(1).parameter("realm")).hasValue("x");
        assertThat(all.get(1).parameter("service")).hasValue("y");
    }

    @Test
    void toleratesGarbageWithoutThrowing() {
        assertThat(AuthChallenge.parseAll(List.of("", "   ", ",,,", "Bearer realm=\"unterminated", "=\"x\""))).allSatisfy(c -> {
            assertThat(c.scheme()).isNotBlank();
        });
        assertThat(AuthChallenge.parseAll(List.of("Bearer realm=\"a\\\"b\"")).getFirst().parameter("realm")).hasValue("a\"b");
    }
}
