package dev.berth.daemon.api;

import dev.berth.oci.BerthException;

/**
 * A Docker Engine API version such as 1.47, from a {@code /v1.NN/} path prefix. Compared part by
 * part, as the docker CLI and dockerd compare them (1.9 &lt; 1.10).
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    /** The oldest version berthd serves: the one most tools still default to. */
    public static final ApiVersion MIN = new ApiVersion(1, 24);
    /** The version berthd implements (shared/specs/docker-engine-api/v1.47.yaml). */
    public static final ApiVersion MAX = new ApiVersion(1, 47);

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("negative API version part");
        }
    }

    /** Parses "1.47" or "1"; anything else (the router only passes digits and dots) is INVALID_ARGUMENT. */
    public static ApiVersion parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
            throw BerthException.invalid("invalid API version " + text);
        }
        try {
            return new ApiVersion(Integer.parseInt(parts[0]), parts.length == 2 ? Integer.parseInt(parts[1]) : 0);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid API version " + text);
        }
    }

    /**
     * The version a request asked for, checked against what we serve, with dockerd's words for
     * the two refusals (the docker CLI shows them verbatim).
     */
    public static ApiVersion negotiate(String requested) {
        ApiVersion v = parse(requested);
        if (v.compareTo(MAX) > 0) {
            throw BerthException.invalid("client version " + requested + " is too new. Maximum supported API version is " + MAX);
        }
        if (v.compareTo(MIN) < 0) {
            throw BerthException.invalid("client version " + requested + " is too old. Minimum supported API version is "
                    + MIN + ", please upgrade your client to a newer version");
        }
        return v;
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new ApiVersion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
