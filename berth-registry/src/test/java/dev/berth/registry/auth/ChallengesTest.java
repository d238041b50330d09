package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChallengesTest {
    @Test
    void challengesQuoteTheirValues() {
        assertThat(Challenges.basic("my \"quoted\" realm\\")).isEqualTo("Basic realm=\"my \\\"quoted\\\" realm\\\\\"");
        assertThat(Challenges.bearer("http://h/token", "svc", java.util.List.of(Access.repository("a/b", "push", "pull"),
                Access.repository("c", "pull")), "insufficient_scope")).isEqualTo(
                "Bearer realm=\"http://h/token\",service=\"svc\",scope=\"repository:a/b:pull,push repository:c:pull\",error=\"insufficient_scope\"");
    }
}
