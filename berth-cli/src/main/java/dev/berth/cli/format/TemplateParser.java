package dev.berth.cli.format;

import dev.berth.cli.format.Node.Arg;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns template text into {@link Node}s; errors are worded as Go's parser words them. */
final class TemplateParser {
    private static final Set<String> FUNCTIONS = Set.of("json", "join", "split", "lower", "upper", "title",
            "pad", "truncate", "println", "print", "printf", "index", "len", "eq", "ne", "lt", "le", "gt", "ge",
            "and", "or", "not", "slice", "urlquery", "html", "js", "call");

    private final String text;
    /** Where the next unread character is. */
    private int at;
    /** The action being read: its content and where it starts in the text. */
    private String action;
    private int actionStart;

    TemplateParser(String text) {
        this.text = text;
    }

    List<Node> parse() {
        List<Node> nodes = new ArrayList<>();
        String end = parseList(nodes);
        if (end != null) {
            throw error(actionStart, "unexpected {{" + end + "}}");
        }
        return nodes;
    }

    /**
     * Reads nodes until EOF (returns null) or a block keyword ({@code end}, {@code else …}), which
     * it returns with {@link #action} holding the rest of that action.
     */
    private String parseList(List<Node> nodes) {
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                nodes.add(new Node.Text(text.substring(at)));
                at = text.length();
                break;
            }
            int contentStart = open + 2;
            boolean trimLeft = text.startsWith("- ", contentStart) || text.startsWith("-\t", contentStart)
                    || text.startsWith("-\n", contentStart);
            String before = text.substring(at, open);
            if (trimLeft) {
                before = before.stripTrailing();
                contentStart += 1;
            }
            if (!before.isEmpty()) {
                nodes.add(new Node.Text(before));
            }
            int close = findClose(contentStart);
            if (close < 0) {
                throw error(open, "unclosed action");
            }
            int contentEnd = close;
            boolean trimRight = close - 2 >= contentStart && text.startsWith(" -", close - 2)
                    || close - 2 >= contentStart && text.startsWith("\t-", close - 2)
                    || close - 2 >= contentStart && text.startsWith("\n-", close - 2);
            if (trimRight) {
                contentEnd = close - 1;
            }
            at = close + 2;
            if (trimRight) {
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
            }
            action = text.substring(contentStart, contentEnd);
            actionStart = contentStart;
            String trimmed = action.strip();
            if (trimmed.startsWith("/*")) {
                if (!trimmed.endsWith("*/")) {
                    throw error(open, "unclosed comment");
                }
                continue;
            }
            String keyword = firstWord(trimmed);
            switch (keyword) {
                case "end", "else" -> {
                    return keyword;
                }
                case "if" -> nodes.add(parseBranch(Node.Branch.Kind.IF));
                case "with" -> nodes.add(parseBranch(Node.Branch.Kind.WITH));
                case "range" -> nodes.add(parseBranch(Node.Branch.Kind.RANGE));
                case "define", "template", "block", "break", "continue" ->
                        throw error(contentStart, "{{" + keyword + "}} is not supported by berth's templates");
                default -> {
                    Lexer lexer = new Lexer(action, contentStart);
                    Node.Pipeline pipeline = pipeline(lexer, "command");
                    nodes.add(new Node.Action(pipeline.pos(), pipeline));
                }
            }
        }
        return null;
    }

    private Node.Branch parseBranch(Node.Branch.Kind kind) {
        String keyword = kind.name().toLowerCase();
        int keywordAt = actionStart + action.indexOf(keyword);
        Lexer lexer = new Lexer(action, actionStart);
        // the keyword is the action's first word, or the second in {{else if …}}
        lexer.index = action.indexOf(keyword) + keyword.length();
        Node.Pipeline pipeline = pipeline(lexer, keyword);
        List<Node> body = new ArrayList<>();
        String end = parseList(body);
        if (end == null) {
            throw error(text.length(), "unexpected EOF");
        }
        List<Node> otherwise = List.of();
        if (end.equals("else")) {
            String rest = action.strip().substring(4).strip();
            if (!rest.isEmpty() && kind != Node.Branch.Kind.RANGE) {
                // {{else if …}} / {{else with …}}: a nested block that shares our {{end}}
                String nested = firstWord(rest);
                Node.Branch.Kind nestedKind = switch (nested) {
                    case "if" -> Node.Branch.Kind.IF;
                    case "with" -> Node.Branch.Kind.WITH;
                    default -> throw error(actionStart, "unexpected \"" + nested + "\" in else");
                };
                otherwise = List.of(parseBranch(nestedKind));
                return new Node.Branch(kind, keywordAt, pipeline, body, otherwise);
            }
            List<Node> elseBody = new ArrayList<>();
            end = parseList(elseBody);
            if (end == null) {
                throw error(text.length(), "unexpected EOF");
            }
            if (!end.equals("end")) {
                throw error(actionStart, "expected end; found {{else}}");
            }
            otherwise = elseBody;
        }
        return new Node.Branch(kind, keywordAt, pipeline, body, otherwise);
    }

    private int findClose(int from) {
        // a "}}" inside a quoted string does not close the action
        char quote = 0;
        for (int i = from; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '`') {
                quote = c;
            } else if (c == '}' && text.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
            i++;
        }
        return s.substring(0, i);
    }

    private Node.Pipeline pipeline(Lexer lexer, String context) {
        lexer.skipSpace();
        int pos = lexer.offset();
        List<String> variables = new ArrayList<>();
        boolean assign = false;
        int mark = lexer.index;
        // $x := …, $k, $v := …, $x = …
        if (lexer.peek() == '$') {
            List<String> names = new ArrayList<>();
            boolean declaration = false;
            while (true) {
                lexer.skipSpace();
                if (lexer.peek() != '$') {
                    break;
                }
                String name = lexer.variableName();
                names.add(name);
                lexer.skipSpace();
                if (lexer.startsWith(":=")) {
                    lexer.index += 2;
                    declaration = true;
                    break;
                }
                if (lexer.startsWith("=") && !lexer.startsWith("==")) {
                    lexer.index += 1;
                    declaration = true;
                    assign = true;
                    break;
                }
                if (lexer.peek() == ',') {
                    lexer.index++;
                    continue;
                }
                break;
            }
            if (declaration) {
                variables = names;
            } else {
                lexer.index = mark;
            }
        }
        List<Node.Command> commands = new ArrayList<>();
        while (true) {
            lexer.skipSpace();
            if (lexer.atEnd() || lexer.peek() == ')') {
                break;
            }
            commands.add(command(lexer));
            lexer.skipSpace();
            if (lexer.peek() == '|') {
                lexer.index++;
                continue;
            }
            if (!lexer.atEnd() && lexer.peek() != ')') {
                throw error(lexer.offset(), "unexpected \"" + lexer.peek() + "\" in " + context);
            }
        }
        if (commands.isEmpty()) {
            throw error(pos, "missing value for " + context);
        }
        return new Node.Pipeline(pos, variables, assign, commands);
    }

    private Node.Command command(Lexer lexer) {
        int pos = lexer.offset();
        List<Arg> args = new ArrayList<>();
        while (true) {
            lexer.skipSpace();
            if (lexer.atEnd() || lexer.peek() == '|' || lexer.peek() == ')') {
                break;
            }
            args.add(operand(lexer));
        }
        return new Node.Command(pos, args);
    }

    private Arg operand(Lexer lexer) {
        int pos = lexer.offset();
        char c = lexer.peek();
        if (c == '.') {
            List<String> names = lexer.fieldChain();
            // Go places a chain (.A.B) at its second field
            return new Arg.Field(names.size() > 1 ? pos + 1 + names.getFirst().length() : pos, names);
        }
        if (c == '$') {
            String name = lexer.variableName();
            List<String> names = lexer.fieldChain();
            return new Arg.Variable(names.isEmpty() ? pos : pos + name.length(), name, names);
        }
        if (c == '(') {
            lexer.index++;
            Node.Pipeline inner = pipeline(lexer, "parenthesized pipeline");
            lexer.skipSpace();
            if (lexer.peek() != ')') {
                throw error(lexer.offset(), "unclosed left paren");
            }
            lexer.index++;
            List<String> names = lexer.peek() == '.' ? lexer.fieldChain() : List.of();
            return new Arg.Group(pos, inner, names);
        }
        if (c == '"' || c == '`') {
            String raw = lexer.quoted();
            lexer.expectSeparator();
            return new Arg.Literal(pos, unquote(raw, pos), raw);
        }
        if (c == '-' || c == '+' || Character.isDigit(c)) {
            String number = lexer.number();
            lexer.expectSeparator();
            return new Arg.Literal(pos, parseNumber(number, pos), number);
        }
        if (Character.isLetter(c) || c == '_') {
            String word = lexer.word();
            lexer.expectSeparator();
            return switch (word) {
                case "true" -> new Arg.Literal(pos, Boolean.TRUE, word);
                case "false" -> new Arg.Literal(pos, Boolean.FALSE, word);
                case "nil" -> new Arg.Literal(pos, null, word);
                default -> {
                    if (!FUNCTIONS.contains(word)) {
                        throw error(pos, "function \"" + word + "\" not defined");
                    }
                    yield new Arg.Identifier(pos, word);
                }
            };
        }
        throw error(pos, "unexpected \"" + c + "\" in operand");
    }

    private Object parseNumber(String number, int pos) {
        try {
            if (number.contains(".") || number.contains("e") || number.contains("E")) {
                return Double.parseDouble(number);
            }
            if (number.startsWith("0x") || number.startsWith("0X")) {
                return Long.parseLong(number.substring(2), 16);
            }
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw error(pos, "bad number syntax: \"" + number + "\"");
        }
    }

    private String unquote(String raw, int pos) {
        if (raw.charAt(0) == '`') {
            return raw.substring(1, raw.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case '"' -> out.append('"');
                case '\'' -> out.append('\'');
                case 'u' -> {
                    out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw error(pos, "invalid syntax");
            }
        }
        return out.toString();
    }

    private TemplateException error(int offset, String message) {
        return new TemplateException("template: :" + line(offset) + ": " + message);
    }

    private int line(int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Reads one action's content; offsets are positions in the whole template. */
    private final class Lexer {
        private final String content;
        private final int base;
        private int index;

        Lexer(String content, int base) {
            this.content = content;
            this.base = base;
        }

        int offset() {
            return base + index;
        }

        boolean atEnd() {
            return index >= content.length();
        }

        char peek() {
            return atEnd() ? 0 : content.charAt(index);
        }

        boolean startsWith(String s) {
            return content.startsWith(s, index);
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(content.charAt(index))) {
                index++;
            }
        }

        String word() {
            int start = index;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                index++;
            }
            return content.substring(start, index);
        }

        String number() {
            int start = index;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '.' || peek() == '-' || peek() == '+')) {
                index++;
            }
            return content.substring(start, index);
        }

        /** Go wants space between operands: "json." is an error, not json applied to dot. */
        void expectSeparator() {
            if (!atEnd() && !isDelimiter(peek())) {
                throw error(offset(), "unexpected <" + peek() + "> in operand");
            }
        }

        String variableName() {
            int start = index;
            index++; // $
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                index++;
            }
            return content.substring(start, index);
        }

        /** {@code .}, {@code .A}, {@code .A.B}: the names, empty for a lone dot. */
        List<String> fieldChain() {
            List<String> names = new ArrayList<>();
            while (peek() == '.') {
                int dotAt = index;
                index++;
                int start = index;
                while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
                    index++;
                }
                if (start == index) {
                    if (!names.isEmpty() || dotAt + 1 < content.length() && !isDelimiter(peek())) {
                        throw error(base + dotAt, "unexpected . after term");
                    }
                    break;
                }
                names.add(content.substring(start, index));
            }
            return names;
        }

        private boolean isDelimiter(char c) {
            return c == 0 || Character.isWhitespace(c) || c == ')' || c == '|';
        }

        String quoted() {
            char quote = peek();
            int start = index;
            index++;
            while (!atEnd() && peek() != quote) {
                if (peek() == '\\' && quote == '"') {
                    index++;
                }
                index++;
            }
            if (atEnd()) {
                throw error(offset(), "unterminated quoted string");
            }
            index++;
            return content.substring(start, index);
        }
    }
}
