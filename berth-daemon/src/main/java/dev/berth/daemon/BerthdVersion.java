package dev.berth.daemon;

/** The daemon's own version strings, as /version and the Server header report them. */
public final class BerthdVersion {
    public static final String VERSION = "0.1.0";
    public static final String GIT_COMMIT = "unknown";

    private BerthdVersion() {}

    /** The Server header: {@code berth/0.1.0 (linux)}, shaped like dockerd's {@code Docker/20.10.24 (linux)}. */
    public static String serverHeader() {
        return "berth/" + VERSION + " (linux)";
    }
}
