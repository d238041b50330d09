package dev.berth.image.bootstrap;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Debian mirror the host's apt already uses, read from {@code /etc/apt/sources.list} (one-line
 * form, {@code deb [opts] uri suite components}) and {@code /etc/apt/sources.list.d/} ({@code *.list}
 * in the same form and {@code *.sources} in deb822 form). The machines here reach no internet but
 * that mirror, so debootstrap must be pointed at it.
 */
public record AptMirror(String uri) {
    public AptMirror {
        if (uri == null || !(uri.startsWith("http://") || uri.startsWith("https://") || uri.startsWith("file:/"))) {
            throw BerthException.invalid("invalid apt mirror \"" + uri + "\": want an http(s):// or file:/ uri");
        }
    }

    /** The first mirror that serves the {@code suite} of Debian (not -security or -updates) under {@code aptDir}. */
    public static AptMirror fromHost(Path aptDir, String suite) {
        return find(aptDir, suite).orElseThrow(() -> BerthException.precondition(
                "no apt source for debian " + suite + " in " + aptDir.resolve("sources.list") + " or "
                        + aptDir.resolve("sources.list.d")));
    }

    static Optional<AptMirror> find(Path aptDir, String suite) {
        List<Path> files = new ArrayList<>();
        Path main = aptDir.resolve("sources.list");
        if (Files.isRegularFile(main)) {
            files.add(main);
        }
        Path parts = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(parts)) {
            try (Stream<Path> s = Files.list(parts)) {
                s.filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw BerthException.internal("cannot list " + parts + ": " + e.getMessage(), e);
            }
        }
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw BerthException.internal("cannot read " + file + ": " + e.getMessage(), e);
            }
            Optional<String> uri = file.toString().endsWith(".sources") ? fromDeb822(lines, suite) : fromOneLine(lines, suite);
            if (uri.isPresent()) {
                return uri.map(u -> new AptMirror(stripSlash(u)));
            }
        }
        return Optional.empty();
    }

    /** {@code deb [arch=amd64 signed-by=…] http://deb.debian.org/debian bookworm main}. */
    static Optional<String> fromOneLine(List<String> lines, String suite) {
        for (String raw : lines) {
            String line = raw.strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) {
                continue;
            }
            String rest = line.substring(3).strip();
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    continue;
                }
                rest = rest.substring(close + 1).strip();
            }
            String[] words = rest.split("\\s+");
            if (words.length >= 2 && words[1].equals(suite)) {
                return Optional.of(words[0]);
            }
        }
        return Optional.empty();
    }

    /** Stanzas of {@code Types: deb}, {@code URIs:}, {@code Suites:}, separated by blank lines. */
    static Optional<String> fromDeb822(List<String> lines, String suite) {
        List<String> stanza = new ArrayList<>();
        for (String raw : lines) {
            if (raw.isBlank()) {
                Optional<String> found = stanzaUri(stanza, suite);
                if (found.isPresent()) {
                    return found;
                }
                stanza.clear();
            } else if (!raw.startsWith("#")) {
                stanza.add(raw);
            }
        }
        return stanzaUri(stanza, suite);
    }

    private static Optional<String> stanzaUri(List<String> stanza, String suite) {
        String types = field(stanza, "Types");
        String uris = field(stanza, "URIs");
        String suites = field(stanza, "Suites");
        String enabled = field(stanza, "Enabled");
        if (types == null || uris == null || suites == null || "no".equalsIgnoreCase(enabled)) {
            return Optional.empty();
        }
        if (!List.of(types.split("\\s+")).contains("deb") || !List.of(suites.split("\\s+")).contains(suite)) {
            return Optional.empty();
        }
        return Optional.of(uris.split("\\s+")[0]);
    }

    private static String field(List<String> stanza, String name) {
        for (String line : stanza) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static String stripSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
