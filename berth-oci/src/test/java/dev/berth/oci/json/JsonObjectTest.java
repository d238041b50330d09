package dev.berth.oci.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectTest {
    private final JsonObject doc = JsonObject.root("doc.json", Json.parse("""
            {"u64": 18446744073709551615, "u32": 4294967295, "neg": -1, "big": 18446744073709551616,
             "f": 2.0, "s": "x", "n": null, "list": [{"a": 1}, {"a": "two"}], "map": {"k": {"a": 3}}}"""));

    @Test
    void readsUnsignedValuesAtTheirFullWidth() {
        assertThat(doc.uint64("u64")).contains(-1L);
        assertThat(doc.uint32("u32")).contains(4294967295L);
        assertThat(doc.int64("neg")).contains(-1L);
    }

    @Test
    void nullAndAbsentReadTheSame() {
        assertThat(doc.string("n")).isEmpty();
        assertThat(doc.string("missing")).isEmpty();
        assertThat(doc.strings("n")).isEmpty();
        assertThat(doc.has("n")).isFalse();
        assertThat(doc.has("s")).isTrue();
    }

    @Test
    void errorsNameDocumentAndPath() {
        assertThatThrownBy(() -> doc.uint64("big"))
                .isInstanceOf(BerthException.class)
                .hasMessage("doc.json: big: expected an unsigned 64-bit integer, got 18446744073709551616");
        assertThatThrownBy(() -> doc.uint32("neg"))
                .hasMessage("doc.json: neg: expected an unsigned 32-bit integer, got -1");
        assertThatThrownBy(() -> doc.int64("f"))
                .hasMessage("doc.json: f: expected an integer, got 2.0");
        assertThatThrownBy(() -> doc.objects("list", o -> o.int64("a").orElseThrow()))
                .hasMessage("doc.json: list[1].a: expected a number, got string");
        assertThatThrownBy(() -> doc.objectMap("map", o -> o.string("a")))
                .hasMessage("doc.json: map[\"k\"].a: expected a string, got number");
        assertThat(doc.error("s", "must be y").getMessage()).isEqualTo("doc.json: s: must be y");
    }

    @Test
    void readsNestedObjectsAndMaps() {
        assertThat(doc.objects("list", o -> o.path())).isEqualTo(List.of("list[0]", "list[1]"));
        assertThat(doc.objectMap("map", o -> o.int64("a").orElseThrow())).isEqualTo(Map.of("k", 3L));
    }

    @Test
    void theRootMustBeAnObject() {
        assertThatThrownBy(() -> JsonObject.root("doc.json", List.of()))
                .hasMessage("doc.json: top level: expected an object, got array");
    }
}
