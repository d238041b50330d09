package dev.berth.cli.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subset of Go's text/template, enough for docker's {@code --format} flags: fields and nested
 * fields ({@code {{.A.B}}}), variables, pipelines, parentheses, {@code if}/{@code else if}/
 * {@code else}/{@code with}/{@code range} blocks, trim markers, comments, and the functions docker
 * adds ({@code json}, {@code join}, {@code split}, {@code lower}, {@code upper}, {@code title},
 * {@code pad}, {@code truncate}, {@code println}) plus Go's {@code index}, {@code len},
 * {@code print}, {@code printf}, {@code eq} … {@code not}. Errors read as Go's do, because users
 * paste them into searches: {@code template: :1:2: executing "" at <.Nope>: can't evaluate field
 * Nope in type *formatter.imageContext}.
 */
public final class Template {
    private final String text;
    private final List<Node> root;

    private Template(String text, List<Node> root) {
        this.text = text;
        this.root = root;
    }

    /** Parses the template; a {@link TemplateException} says what is wrong, in Go's words. */
    public static Template parse(String text) {
        return new Template(text, new TemplateParser(text).parse());
    }

    /** Runs the template on {@code data} (Go's default: a missing map key prints "<no value>"). */
    public String execute(Object data) {
        return execute(data, false);
    }

    /**
     * Runs the template on {@code data}; with {@code missingKeyError} a missing map key is an
     * error (Go's {@code missingkey=error}, which docker's inspect uses for raw JSON).
     */
    public String execute(Object data, boolean missingKeyError) {
        StringBuilder out = new StringBuilder();
        new TemplateRunner(text, missingKeyError, out, false).run(root, data);
        return out.toString();
    }

    /**
     * Runs the template on a table header: every field reads as its header name and the
     * functions pass their argument through, as docker's HeaderFunctions do.
     */
    public String executeHeader(Map<String, String> headers) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> names = new LinkedHashMap<>(headers);
        // docker's SubHeaderContext.Label: the last dotted part of the label's name, '-' and '_' as spaces
        names.putIfAbsent("Label", TemplateMethod.ofString("Label", label -> {
            String last = label.substring(label.lastIndexOf('.') + 1);
            return last.replace('-', ' ').replace('_', ' ');
        }));
        new TemplateRunner(text, false, out, true).run(root, names);
        return out.toString();
    }

}
