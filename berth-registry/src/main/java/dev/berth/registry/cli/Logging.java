package dev.berth.registry.cli;

import java.util.Locale;

/** Sets jetty-slf4j-impl's levels before the first logger exists (it reads them once). */
final class Logging {
    private Logging() {}

    static void configure(String level) {
        String slf4j = switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> "DEBUG";
            case "info" -> "INFO";
            case "warn", "warning" -> "WARN";
            case "error", "fatal" -> "ERROR";
            default -> throw new IllegalArgumentException("invalid --log-level \"" + level + "\": want debug, info, warn or error");
        };
        System.setProperty("dev.berth.LEVEL", slf4j);
        System.setProperty("org.eclipse.jetty.LEVEL", slf4j.equals("DEBUG") ? "INFO" : "WARN");
    }
}
