package dev.berth.daemon.config;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * daemon.json, read as dockerd reads it: only the keys berthd knows (dockerd's names), a key
 * both in the file and on the command line is refused, and so is a key that matches nothing.
 * Errors read {@code unable to configure berthd with file F: …}.
 */
public final class DaemonJson {
    public static final Path DEFAULT = Path.of("/etc/berth/daemon.json");

    private DaemonJson() {}

    /**
     * The settings of the file. A missing file is no settings when it is the default one
     * ({@code explicit} false); a file named by --config-file must exist, as dockerd has it.
     */
    public static Map<Option, Object> read(Path file, boolean explicit) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw error(file, "open " + file + ": no such file or directory");
            }
            return Map.of();
        } catch (IOException e) {
            throw error(file, e.getMessage());
        }
        if (text.isBlank()) {
            return Map.of();
        }
        Object tree;
        try {
            tree = Json.parse(text);
        } catch (BerthException e) {
            throw error(file, e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw error(file, "the file must hold a JSON object");
        }
        Map<Option, Object> values = new EnumMap<>(Option.class);
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = (String) entry.getKey();
            Optional<Option> option = Option.byKey(key);
            if (option.isEmpty()) {
                unknown.add(key);
                continue;
            }
            values.put(option.get(), typed(file, option.get(), entry.getValue()));
        }
        if (!unknown.isEmpty()) {
            throw error(file, "the following directives don't match any configuration option: " + String.join(", ", unknown));
        }
        return values;
    }

    /** Flags and file together; a setting made by both is dockerd's conflict error. */
    public static Map<Option, Object> merge(Path file, Map<Option, Object> flags, Map<Option, Object> fromFile) {
        List<String> conflicts = new ArrayList<>();
        for (Option option : Option.values()) {
            if (flags.containsKey(option) && fromFile.containsKey(option)) {
                conflicts.add(option.key() + ": (from flag: " + Option.show(flags.get(option))
                        + ", from file: " + Option.show(fromFile.get(option)) + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw error(file, "the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", conflicts));
        }
        Map<Option, Object> merged = new LinkedHashMap<>(fromFile);
        merged.putAll(flags);
        return merged;
    }

    private static Object typed(Path file, Option option, Object value) {
        boolean ok = switch (option.type()) {
            case STRING -> value instanceof String;
            case BOOL -> value instanceof Boolean;
            case LIST -> value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
        };
        if (!ok) {
            String want = switch (option.type()) {
                case STRING -> "a string";
                case BOOL -> "true or false";
                case LIST -> "a list of strings";
            };
            throw error(file, option.key() + " must be " + want);
        }
        return value;
    }

    private static BerthException error(Path file, String problem) {
        return BerthException.invalid("unable to configure berthd with file " + file + ": " + problem);
    }
}
