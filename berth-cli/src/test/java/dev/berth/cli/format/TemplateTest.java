package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Object IMAGE = Json.parse("""
            {"Id":"sha256:abc","RepoTags":["a:1","b:2"],"Size":2289465,
             "Config":{"Env":["PATH=/bin","X=y"],"Labels":{"z":"1","a":"<b>"},"Cmd":null},
             "Nested":{"Deeper":{"Name":"n"}},"Empty":"","Zero":0,"Ratio":0.5}""");

    private static String run(String template, Object data) {
        return Template.parse(template).execute(data);
    }

    @Test
    void fieldsAndNestedFields() {
        assertThat(run("{{.Id}} {{.Nested.Deeper.Name}} {{.Size}}", IMAGE)).isEqualTo("sha256:abc n 2289465");
        assertThat(run("id={{ .Id }}", IMAGE)).isEqualTo("id=sha256:abc");
    }

    @Test
    void valuesPrintAsGoPrintsThem() {
        assertThat(run("{{.RepoTags}}", IMAGE)).isEqualTo("[a:1 b:2]");
        assertThat(run("{{.Config.Labels}}", IMAGE)).isEqualTo("map[a:<b> z:1]");
        assertThat(run("{{.Config.Cmd}}", IMAGE)).isEqualTo("<nil>");
        assertThat(run("{{.Missing}}", IMAGE)).isEqualTo("<no value>");
        assertThat(run("{{.Ratio}}", IMAGE)).isEqualTo("0.5");
    }

    @Test
    void jsonFunctionDoesNotEscapeHtmlButContextsDo() {
        assertThat(run("{{json .Config.Labels}}", IMAGE)).isEqualTo("{\"z\":\"1\",\"a\":\"<b>\"}");
        assertThat(run("{{json .RepoTags}}", IMAGE)).isEqualTo("[\"a:1\",\"b:2\"]");
        assertThat(run("{{json .Config.Cmd}}", IMAGE)).isEqualTo("null");
        TemplateObject context = context(Map.of("Digest", "<none>", "ID", "abc"));
        assertThat(run("{{json .}}", context)).isEqualTo("{\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"abc\"}");
    }

    @Test
    void rangeIfElseWith() {
        assertThat(run("{{range .RepoTags}}[{{.}}]{{end}}", IMAGE)).isEqualTo("[a:1][b:2]");
        assertThat(run("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}", IMAGE)).isEqualTo("0=a:1 1=b:2 ");
        assertThat(run("{{range $k, $v := .Config.Labels}}{{$k}}:{{$v}};{{end}}", IMAGE)).isEqualTo("a:<b>;z:1;");
        assertThat(run("{{range .Config.Cmd}}x{{else}}none{{end}}", IMAGE)).isEqualTo("none");
        assertThat(run("{{if .Empty}}yes{{else}}no{{end}}", IMAGE)).isEqualTo("no");
        assertThat(run("{{if .Zero}}a{{else if .Id}}b{{else}}c{{end}}", IMAGE)).isEqualTo("b");
        assertThat(run("{{with .Nested.Deeper}}{{.Name}}{{end}}", IMAGE)).isEqualTo("n");
        assertThat(run("{{if eq .Id \"sha256:abc\"}}same{{end}}", IMAGE)).isEqualTo("same");
        assertThat(run("{{if and .Id (not .Empty)}}ok{{end}}", IMAGE)).isEqualTo("ok");
    }

    @Test
    void functions() {
        assertThat(run("{{index .RepoTags 1}}", IMAGE)).isEqualTo("b:2");
        assertThat(run("{{index .Config.Labels \"z\"}}", IMAGE)).isEqualTo("1");
        assertThat(run("{{join .Config.Env \",\"}}", IMAGE)).isEqualTo("PATH=/bin,X=y");
        assertThat(run("{{upper .Nested.Deeper.Name}}{{lower \"ABC\"}}{{title \"hello world\"}}", IMAGE))
                .isEqualTo("NabcHello World");
        assertThat(run("{{println .Id .Size}}", IMAGE)).isEqualTo("sha256:abc 2289465\n");
        assertThat(run("{{.Id | printf \"%s!\"}}", IMAGE)).isEqualTo("sha256:abc!");
        assertThat(run("{{len .RepoTags}}", IMAGE)).isEqualTo("2");
        assertThat(run("{{split \"a,b\" \",\"}}", IMAGE)).isEqualTo("[a b]");
        assertThat(run("{{truncate .Id 6}}|{{pad \"x\" 1 2}}|", IMAGE)).isEqualTo("sha256| x  |");
        assertThat(run("{{(index .RepoTags 0) | upper}}", IMAGE)).isEqualTo("A:1");
        assertThat(run("{{$x := .Id}}{{$x}}", IMAGE)).isEqualTo("sha256:abc");
    }

    @Test
    void trimMarkersAndComments() {
        assertThat(run("a  {{- .Id -}}  b{{/* nothing */}}", IMAGE)).isEqualTo("asha256:abcb");
    }

    @Test
    void unknownFieldOfAContextIsDockersError() {
        TemplateObject context = context(Map.of("ID", "abc"));
        assertThatThrownBy(() -> run("{{.Nope}}", context)).hasMessage(
                "template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext");
        assertThatThrownBy(() -> run("x\n  {{.ID}} {{.Nope}}", context)).hasMessage(
                "template: :2:12: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext");
    }

    @Test
    void missingKeyIsAnErrorWhenAsked() {
        assertThatThrownBy(() -> Template.parse("{{.Nope}}").execute(IMAGE, true))
                .hasMessage("template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"");
        assertThatThrownBy(() -> run("{{.Id.X}}", IMAGE))
                .hasMessage("template: :1:5: executing \"\" at <.Id.X>: can't evaluate field X in type string");
    }

    @Test
    void parseErrorsUseGoWording() {
        assertThatThrownBy(() -> Template.parse("{{.Foo")).hasMessage("template: :1: unclosed action");
        assertThatThrownBy(() -> Template.parse("{{nope .X}}")).hasMessage("template: :1: function \"nope\" not defined");
        assertThatThrownBy(() -> Template.parse("{{json.}}")).hasMessage("template: :1: unexpected <.> in operand");
        assertThatThrownBy(() -> Template.parse("{{if .X}}a")).hasMessage("template: :1: unexpected EOF");
        assertThatThrownBy(() -> Template.parse("{{end}}")).hasMessage("template: :1: unexpected {{end}}");
        assertThatThrownBy(() -> Template.parse("{{}}")).hasMessage("template: :1: missing value for command");
    }

    @Test
    void functionErrorsNameTheFunction() {
        assertThatThrownBy(() -> run("{{index .RepoTags 5}}", IMAGE))
                .hasMessageContaining("error calling index: index out of range: 5");
    }

    @Test
    void headerModePassesFunctionArgumentsThrough() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Repository", "REPOSITORY");
        assertThat(Template.parse("{{upper .Repository}}|{{json .Repository}}").executeHeader(headers))
                .isEqualTo("REPOSITORY|REPOSITORY");
    }

    private static TemplateObject context(Map<String, Object> fields) {
        return new TemplateObject() {
            @Override
            public String goType() {
                return "*formatter.imageContext";
            }

            @Override
            public boolean hasField(String name) {
                return fields.containsKey(name);
            }

            @Override
            public Object field(String name) {
                return fields.get(name);
            }

            @Override
            public Map<String, Object> jsonFields() {
                return new TreeMap<>(fields);
            }
        };
    }

    @Test
    void rangeOverListOfObjects() {
        Object data = Json.parse("{\"Items\":[{\"N\":1},{\"N\":2}]}");
        assertThat(run("{{range .Items}}{{.N}},{{end}}", data)).isEqualTo("1,2,");
        assertThat(run("{{range .Items}}{{$.Items | len}}{{end}}", data)).isEqualTo("22");
        assertThat(List.of()).isEmpty();
    }
}
