package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonIndentTest {
    @Test
    void indentsLikeGoWithoutTouchingValues() {
        String raw = "[{\"a\":1.50,\"b\":[],\"c\":{},\"d\":\"x\\u003c, {y}: \\\"z\\\"\",\"e\":[1,2]}]";
        assertThat(JsonIndent.indent(raw, "    ")).isEqualTo("""
                [
                    {
                        "a": 1.50,
                        "b": [],
                        "c": {},
                        "d": "x\\u003c, {y}: \\"z\\"",
                        "e": [
                            1,
                            2
                        ]
                    }
                ]""");
    }

    @Test
    void whitespaceInTheInputIsDropped() {
        assertThat(JsonIndent.indent("{ \"a\" :\n [ ] }", "  ")).isEqualTo("{\n  \"a\": []\n}");
    }
}
