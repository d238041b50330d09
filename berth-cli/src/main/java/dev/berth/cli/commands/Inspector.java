package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.JsonIndent;
import dev.berth.oci.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's inspect output: without a format, the raw bodies as one JSON array indented by four
 * spaces; with one, the template per object (on the raw JSON, where a missing key is an error).
 * Errors for objects not found go to stderr after the output; the status is then 1.
 */
public final class Inspector {
    private final Cli cli;
    private final Template template;
    private final List<String> raws = new ArrayList<>();
    private final StringBuilder formatted = new StringBuilder();

    public Inspector(Cli cli, String format) {
        this.cli = cli;
        if (format == null || format.isEmpty()) {
            this.template = null;
        } else {
            try {
                this.template = Template.parse(format.equals("json") ? "{{json .}}" : format);
            } catch (TemplateException e) {
                throw new CommandFailed("template parsing error: " + e.getMessage());
            }
        }
    }

    /** Adds one object; a template error is added to {@code errors} and the rest go on, as in docker. */
    public void add(String raw, List<String> errors) {
        if (template == null) {
            raws.add(raw.strip());
            return;
        }
        try {
            formatted.append(template.execute(Json.parse(raw, "daemon response"), true)).append('\n');
        } catch (TemplateException e) {
            errors.add("template parsing error: " + e.getMessage());
        }
    }

    public int finish(List<String> errors) {
        if (template == null) {
            cli.out.print(raws.isEmpty() ? "[]\n" : JsonIndent.indent("[" + String.join(",", raws) + "]", "    ") + "\n");
        } else {
            // docker writes a newline when nothing came out
            cli.out.print(formatted.isEmpty() ? "\n" : formatted);
        }
        if (!errors.isEmpty()) {
            throw new CommandFailed(String.join("\n", errors));
        }
        return 0;
    }
}
