package dev.berth.oci.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindIntoPlainJavaValues() {
        Object tree = Json.parse("{\"s\":\"x\",\"i\":-7,\"d\":1.5,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,\"b\"],\"o\":{}}");

        assertThat(tree).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        assertThat(map.keySet()).containsExactly("s", "i", "d", "t", "f", "n", "a", "o");
        assertThat(map.get("s")).isEqualTo("x");
        assertThat(map.get("i")).isEqualTo(-7L);
        assertThat(map.get("d")).isEqualTo(1.5);
        assertThat(map.get("t")).isEqualTo(true);
        assertThat(map.get("f")).isEqualTo(false);
        assertThat(map.containsKey("n")).isTrue();
        assertThat(map.get("n")).isNull();
        assertThat(map.get("a")).isInstanceOf(ArrayList.class).isEqualTo(List.of(1L, "b"));
        assertThat(map.get("o")).isEqualTo(Map.of());
    }

    @Test
    void keepsUnsigned64BitValuesExact() {
        Object tree = Json.parse("[9223372036854775807, 18446744073709551615, 123456789012345678901234567890]");

        assertThat(tree).isEqualTo(List.of(
                Long.MAX_VALUE,
                new BigInteger("18446744073709551615"),
                new BigInteger("123456789012345678901234567890")));
        assertThat(Json.write(tree)).isEqualTo("[9223372036854775807,18446744073709551615,123456789012345678901234567890]");
    }

    @Test
    void unsignedTurnsHighBitLongsIntoTheirUnsignedValue() {
        assertThat(Json.unsigned(-1L)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(Json.unsigned(1024L)).isEqualTo(1024L);
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}", "config.json"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessageStartingWith("config.json: malformed JSON at line 3, column 7: ");
    }

    @Test
    void truncatedDocumentIsMalformed() {
        assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2"))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("malformed JSON at line 1")
                .hasMessageNotContaining("\n");
    }

    @Test
    void emptyDocumentIsMalformed() {
        assertThatThrownBy(() -> Json.parse("  ", "state.json"))
                .isInstanceOf(BerthException.class)
                .hasMessage("state.json: malformed JSON: empty document");
    }

    @Test
    void contentAfterTheDocumentIsRefused() {
        assertThatThrownBy(() -> Json.parse("{} {}"))
                .isInstanceOf(BerthException.class)
                .hasMessage("malformed JSON at line 1, column 4: unexpected content after the document");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(BerthException.class)
                .hasMessage("malformed JSON at line 1, column 10: duplicate key \"a\"");
    }

    @Test
    void commentsAndTrailingCommasAreNotJson() {
        assertThatThrownBy(() -> Json.parse("[1,]")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> Json.parse("// x\n{}")).isInstanceOf(BerthException.class);
    }

    @Test
    void writesCompactly() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a", List.of(1L, 2L));
        tree.put("b", Map.of());
        tree.put("c", null);
        assertThat(Json.write(tree)).isEqualTo("{\"a\":[1,2],\"b\":{},\"c\":null}");
    }

    @Test
    void writesPrettyAsGoMarshalIndent() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", true);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("list", List.of("a", inner));
        tree.put("empty", List.of());
        tree.put("none", Map.of());
        tree.put("n", 3L);

        assertThat(Json.writePretty(tree)).isEqualTo("""
                {
                  "list": [
                    "a",
                    {
                      "x": true
                    }
                  ],
                  "empty": [],
                  "none": {},
                  "n": 3
                }""");
        assertThat(Json.writeIndented(List.of(1L), "\t")).isEqualTo("[\n\t1\n]");
    }

    @Test
    void escapesStringsAsGoDoes() {
        String written = Json.write("<a & b>\n\t\"q\" \\ \u0001 \u2028 é");

        assertThat(written).isEqualTo("\"\\u003ca \\u0026 b\\u003e\\n\\t\\\"q\\\" \\\\ \\u0001 \\u2028 é\"");
        assertThat(Json.parse(written)).isEqualTo("<a & b>\n\t\"q\" \\ \u0001 \u2028 é");
    }

    @Test
    void refusesValuesThatAreNotJson() {
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(BerthException.class);
    }
}
