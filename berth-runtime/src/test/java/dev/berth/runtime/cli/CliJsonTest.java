package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliJsonTest {

    @Test
    void parsesIntoAnOrderedTree() {
        Object tree = CliJson.parse("{\"b\":1,\"a\":[true,null,\"x\",1.5,18446744073709551615],\"c\":{}}", "t");
        assertThat(tree).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        assertThat(map.keySet()).containsExactly("b", "a", "c");
        assertThat(map.get("b")).isEqualTo(1L);
        @SuppressWarnings("unchecked")
        List<Object> array = (List<Object>) map.get("a");
        assertThat(array).containsExactly(true, null, "x", 1.5, new BigInteger("18446744073709551615"));
        assertThat(map.get("c")).isEqualTo(Map.of());
    }

    @Test
    void rejectsBrokenDocuments() {
        assertThatThrownBy(() -> CliJson.parse("", "f.json")).isInstanceOf(BerthException.class).hasMessage("f.json: empty document");
        assertThatThrownBy(() -> CliJson.parse("{} {}", "f.json")).hasMessageContaining("trailing data");
        assertThatThrownBy(() -> CliJson.parse("{\"a\":}", "f.json")).hasMessageStartingWith("f.json: invalid JSON: ");
    }

    @Test
    void writesLikeGosEncoder() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "a\"b\\c\n\t<&>\u0001\u2028é");
        value.put("n", -5L);
        value.put("l", List.of(1L, 2L));
        value.put("e", List.of());
        value.put("o", Map.of());
        value.put("z", null);
        assertThat(CliJson.compact(value)).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\n\\t\\u003c\\u0026\\u003e\\u0001\\u2028é\",\"n\":-5,\"l\":[1,2],\"e\":[],\"o\":{},\"z\":null}");
        assertThat(CliJson.indented(value)).isEqualTo("""
                {
                  "s": "a\\"b\\\\c\\n\\t\\u003c\\u0026\\u003e\\u0001\\u2028é",
                  "n": -5,
                  "l": [
                    1,
                    2
                  ],
                  "e": [],
                  "o": {},
                  "z": null
                }""");
    }
}
