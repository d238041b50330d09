package dev.berth.cli.format;

import dev.berth.cli.format.Node.Arg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Executes parsed template nodes, one run per instance (it keeps the variable stack). */
final class TemplateRunner {
    private final String text;
    private final boolean missingKeyError;
    private final StringBuilder out;
    private final boolean header;
    private final List<String> variableNames = new ArrayList<>();
    private final List<Object> variableValues = new ArrayList<>();

    TemplateRunner(String text, boolean missingKeyError, StringBuilder out, boolean header) {
        this.text = text;
        this.missingKeyError = missingKeyError;
        this.out = out;
        this.header = header;
    }

    void run(List<Node> nodes, Object data) {
        push("$", data);
        walk(nodes, data);
    }

    private void walk(List<Node> nodes, Object dot) {
        for (Node node : nodes) {
            walk(node, dot);
        }
    }

    private void walk(Node node, Object dot) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Action a -> {
                Object value = pipeline(a.pipeline(), dot);
                if (a.pipeline().variables().isEmpty()) {
                    out.append(GoValues.print(value));
                }
            }
            case Node.Branch b -> branch(b, dot);
        }
    }

    private void branch(Node.Branch b, Object dot) {
        int mark = variableNames.size();
        Object value = pipeline(b.pipeline(), dot);
        switch (b.kind()) {
            case IF -> walk(GoValues.truth(value) ? b.body() : b.otherwise(), dot);
            case WITH -> {
                if (GoValues.truth(value)) {
                    walk(b.body(), value);
                } else {
                    walk(b.otherwise(), dot);
                }
            }
            case RANGE -> range(b, value, dot);
        }
        pop(mark);
    }

    private void range(Node.Branch b, Object value, Object dot) {
        List<String> vars = b.pipeline().variables();
        int mark = variableNames.size();
        boolean any = false;
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                any = true;
                bindRange(vars, mark, (long) i, list.get(i));
                walk(b.body(), list.get(i));
            }
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                any = true;
                bindRange(vars, mark, e.getKey(), e.getValue());
                walk(b.body(), e.getValue());
            }
        } else if (value instanceof Long n) {
            for (long i = 0; i < n; i++) {
                any = true;
                bindRange(vars, mark, i, i);
                walk(b.body(), i);
            }
        } else if (value != null && value != GoValues.NO_VALUE) {
            throw execError(b.pos(), "range " + describe(b.pipeline()),
                    "range can't iterate over " + GoValues.print(value));
        }
        pop(mark);
        if (!any) {
            walk(b.otherwise(), dot);
        }
    }

    private void bindRange(List<String> vars, int mark, Object key, Object element) {
        pop(mark);
        if (vars.size() == 1) {
            push(vars.get(0), element);
        } else if (vars.size() == 2) {
            push(vars.get(0), key);
            push(vars.get(1), element);
        }
    }

    private Object pipeline(Node.Pipeline pipeline, Object dot) {
        Object value = null;
        boolean hasPrevious = false;
        for (Node.Command command : pipeline.commands()) {
            value = command(command, dot, value, hasPrevious);
            hasPrevious = true;
        }
        List<String> vars = pipeline.variables();
        if (!vars.isEmpty()) {
            if (pipeline.assign()) {
                set(vars.get(0), value, pipeline.pos());
            } else if (vars.size() == 1) {
                push(vars.get(0), value);
            }
            // two variables only make sense in range, which binds them per element
        }
        return value;
    }

    private Object command(Node.Command command, Object dot, Object piped, boolean hasPiped) {
        List<Arg> args = command.args();
        Arg first = args.getFirst();
        if (first instanceof Arg.Identifier function) {
            List<Object> values = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                values.add(operand(args.get(i), dot));
            }
            if (hasPiped) {
                values.add(piped);
            }
            try {
                return TemplateFunctions.call(function.name(), values, header);
            } catch (TemplateException e) {
                throw execError(command.pos(), describe(command), "error calling " + function.name() + ": " + e.getMessage());
            }
        }
        if (first instanceof Arg.Field f && !f.names().isEmpty()) {
            Object value = operand(first, dot);
            if (value instanceof TemplateMethod method) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i < args.size(); i++) {
                    values.add(operand(args.get(i), dot));
                }
                if (hasPiped) {
                    values.add(piped);
                }
                try {
                    return method.call(values);
                } catch (TemplateException e) {
                    throw execError(first.pos(), describe(first), e.getMessage());
                }
            }
        }
        if (args.size() > 1 || hasPiped) {
            Arg culprit = args.size() > 1 ? args.get(1) : first;
            throw execError(culprit.pos(), describe(command), "can't give argument to non-function " + describe(first));
        }
        return operand(first, dot);
    }

    private Object operand(Arg arg, Object dot) {
        return switch (arg) {
            case Arg.Field f -> fields(f.pos(), describe(f), dot, f.names());
            case Arg.Variable v -> fields(v.pos(), describe(v), lookup(v.name(), v.pos()), v.names());
            case Arg.Literal l -> l.value();
            case Arg.Group g -> fields(g.pos(), describe(g), pipeline(g.pipeline(), dot), g.names());
            case Arg.Identifier i -> {
                try {
                    yield TemplateFunctions.call(i.name(), List.of(), header);
                } catch (TemplateException e) {
                    throw execError(i.pos(), i.name(), "error calling " + i.name() + ": " + e.getMessage());
                }
            }
        };
    }

    private Object fields(int pos, String node, Object receiver, List<String> names) {
        Object value = receiver;
        for (String name : names) {
            value = field(pos, node, value, name);
        }
        return value;
    }

    private Object field(int pos, String node, Object receiver, String name) {
        if (receiver instanceof TemplateObject object) {
            if (!object.hasField(name)) {
                throw execError(pos, node, "can't evaluate field " + name + " in type " + object.goType());
            }
            return object.field(name);
        }
        if (receiver instanceof Map<?, ?> map) {
            if (map.containsKey(name)) {
                return map.get(name);
            }
            if (missingKeyError) {
                throw execError(pos, node, "map has no entry for key \"" + name + "\"");
            }
            return GoValues.NO_VALUE;
        }
        if (receiver == null || receiver == GoValues.NO_VALUE) {
            throw execError(pos, node, "nil pointer evaluating interface {}." + name);
        }
        throw execError(pos, node, "can't evaluate field " + name + " in type " + GoValues.goType(receiver));
    }

    private void push(String name, Object value) {
        variableNames.add(name);
        variableValues.add(value);
    }

    private void pop(int mark) {
        while (variableNames.size() > mark) {
            variableNames.removeLast();
            variableValues.removeLast();
        }
    }

    private Object lookup(String name, int pos) {
        for (int i = variableNames.size() - 1; i >= 0; i--) {
            if (variableNames.get(i).equals(name)) {
                return variableValues.get(i);
            }
        }
        throw new TemplateException("template: :" + position(pos) + ": undefined variable \"" + name + "\"");
    }

    private void set(String name, Object value, int pos) {
        for (int i = variableNames.size() - 1; i >= 0; i--) {
            if (variableNames.get(i).equals(name)) {
                variableValues.set(i, value);
                return;
            }
        }
        throw new TemplateException("template: :" + position(pos) + ": undefined variable \"" + name + "\"");
    }

    private TemplateException execError(int pos, String node, String message) {
        return new TemplateException("template: :" + position(pos) + ": executing \"\" at <" + node + ">: " + message);
    }

    /** Go's "line:column" with a 0-based column in bytes from the start of the line. */
    private String position(int pos) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (pos - lineStart);
    }

    private static String describe(Arg arg) {
        return switch (arg) {
            case Arg.Field f -> f.names().isEmpty() ? "." : "." + String.join(".", f.names());
            case Arg.Variable v -> v.name() + (v.names().isEmpty() ? "" : "." + String.join(".", v.names()));
            case Arg.Literal l -> l.text();
            case Arg.Identifier i -> i.name();
            case Arg.Group g -> "(" + describe(g.pipeline()) + ")"
                    + (g.names().isEmpty() ? "" : "." + String.join(".", g.names()));
        };
    }

    private static String describe(Node.Command command) {
        List<String> parts = new ArrayList<>();
        for (Arg arg : command.args()) {
            parts.add(describe(arg));
        }
        return String.join(" ", parts);
    }

    private static String describe(Node.Pipeline pipeline) {
        List<String> parts = new ArrayList<>();
        for (Node.Command command : pipeline.commands()) {
            parts.add(describe(command));
        }
        String body = String.join(" | ", parts);
        if (pipeline.variables().isEmpty()) {
            return body;
        }
        return String.join(", ", pipeline.variables()) + (pipeline.assign() ? " = " : " := ") + body;
    }
}
