package dev.berth.cli.commands;

/** This client's own version facts. */
public final class BerthVersion {
    public static final String VERSION = "0.1.0";

    private BerthVersion() {}

    public static String os() {
        return System.getProperty("os.name").toLowerCase();
    }

    /** The machine architecture in Go's words (amd64, arm64). */
    public static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
