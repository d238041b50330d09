package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code -e} and {@code --env-file} as docker reads them: {@code NAME=value} as given,
 * {@code NAME} alone takes the CLI's own value (and is left out when unset); in files, blank
 * lines and {@code #} comments are skipped and leading whitespace is trimmed.
 */
final class EnvFile {
    private EnvFile() {}

    static List<String> read(String file, Map<String, String> environment) {
        String text = CreateBody.readFile(file);
        List<String> out = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.stripLeading();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq);
            if (name.isEmpty()) {
                throw new RunException("no variable name on line '" + line + "'");
            }
            if (name.chars().anyMatch(Character::isWhitespace)) {
                throw new RunException("variable '" + name + "' contains whitespaces");
            }
            addVariable(line, environment, out);
        }
        return out;
    }

    static void addVariable(String entry, Map<String, String> environment, List<String> out) {
        if (entry.indexOf('=') >= 0) {
            out.add(entry);
            return;
        }
        String value = environment.get(entry);
        if (value != null) {
            out.add(entry + "=" + value);
        }
    }
}
