package dev.berth.cli.format;

import java.util.List;

/** The parse tree of a template; {@code pos} is the byte offset in the template text. */
sealed interface Node {
    /** Literal text. */
    record Text(String text) implements Node {}

    /** {@code {{pipeline}}}: prints the value unless the pipeline declares variables. */
    record Action(int pos, Pipeline pipeline) implements Node {}

    /** {@code {{if}}}, {@code {{with}}} (dot moves) and {@code {{range}}} (dot iterates). */
    record Branch(Kind kind, int pos, Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {
        enum Kind { IF, WITH, RANGE }
    }

    /** Commands joined by {@code |}; {@code variables} when it starts with {@code $x :=} (or {@code $k, $v :=}). */
    record Pipeline(int pos, List<String> variables, boolean assign, List<Command> commands) {}

    /** One command: a function name and its arguments, or a single operand. */
    record Command(int pos, List<Arg> args) {}

    /** An operand. */
    sealed interface Arg {
        int pos();

        /** {@code .}, {@code .A.B} (names empty for a lone dot). */
        record Field(int pos, List<String> names) implements Arg {}

        /** {@code $}, {@code $x}, {@code $x.A.B}. */
        record Variable(int pos, String name, List<String> names) implements Arg {}

        /** A function name. */
        record Identifier(int pos, String name) implements Arg {}

        /** A string, number, boolean or nil. */
        record Literal(int pos, Object value, String text) implements Arg {}

        /** {@code (pipeline)} optionally followed by {@code .A.B}. */
        record Group(int pos, Pipeline pipeline, List<String> names) implements Arg {}
    }
}
