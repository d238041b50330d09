package dev.berth.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads test fixtures from src/test/resources. */
public final class Fixtures {
    private Fixtures() {}

    public static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Turns two-space indentation into tabs, the layout runc uses for config.json. */
    public static String tabIndented(String twoSpaced) {
        StringBuilder out = new StringBuilder();
        for (String line : twoSpaced.split("\n", -1)) {
            int spaces = 0;
            while (spaces < line.length() && line.charAt(spaces) == ' ') {
                spaces++;
            }
            out.append("\t".repeat(spaces / 2)).append(line.substring(spaces)).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}
