package dev.berth.cli.output;

import dev.berth.cli.format.TabWriter;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.TemplateException;
import java.util.List;
import java.util.Map;

/**
 * Renders rows with a docker {@code --format} value, as docker's formatter package does:
 * {@code table …} (header row, columns through the tabwriter), {@code json} (one JSON object per
 * line), or a raw Go template run once per row. Literal {@code \t} and {@code \n} in the value
 * become tab and newline.
 */
public final class Listing {
    private Listing() {}

    /**
     * The output for {@code rows}.
     *
     * @param format        the --format value ("" or "table" mean {@code defaultTable})
     * @param defaultTable  the command's default, starting with "table "
     * @param headers       field name → column header
     * @throws TemplateException "template parsing error: …", as docker words it
     */
    public static String render(String format, String defaultTable, Map<String, String> headers, List<Row> rows) {
        String source = format == null || format.isEmpty() || format.equals("table") ? defaultTable : format;
        if (source.equals("json")) {
            source = "{{json .}}";
        }
        boolean table = source.startsWith("table");
        if (table) {
            source = source.substring("table".length());
        }
        source = trimSpaces(source).replace("\\t", "\t").replace("\\n", "\n");
        Template template;
        try {
            template = Template.parse(source);
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
        StringBuilder body = new StringBuilder();
        for (Row row : rows) {
            try {
                body.append(template.execute(row));
            } catch (TemplateException e) {
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
            body.append('\n');
        }
        if (!table) {
            return body.toString();
        }
        TabWriter writer = TabWriter.docker();
        writer.write(template.executeHeader(headers));
        writer.write("\n");
        writer.write(body.toString());
        return writer.flush();
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
