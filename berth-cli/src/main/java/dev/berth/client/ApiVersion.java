package dev.berth.client;

/** Docker API versions ("1.47") and the client's range. */
public final class ApiVersion {
    /** The newest API this client speaks (berthd's target, shared/specs/docker-engine-api/v1.47.yaml). */
    public static final String CLIENT_MAX = "1.47";
    /** What a daemon that sends no Api-Version header is taken to speak, as the docker CLI assumes. */
    public static final String FALLBACK = "1.24";

    private ApiVersion() {}

    /** Compares "1.41" and "1.47" as numbers, part by part. */
    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parsePart(x[i]) : 0;
            int q = i < y.length ? parsePart(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parsePart(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The version to use with a daemon that answered {@code /_ping} with {@code serverVersion}. */
    public static String negotiate(String serverVersion) {
        String server = serverVersion == null || serverVersion.isBlank() ? FALLBACK : serverVersion.strip();
        return compare(server, CLIENT_MAX) < 0 ? server : CLIENT_MAX;
    }
}
