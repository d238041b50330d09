package dev.berth.registry;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec allows it ({@code <name>} in the endpoints):
 * path components of lower-case alphanumerics joined by separators, split by '/'; at most 255
 * characters. Anything else is {@link ErrorCode#NAME_INVALID}.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    public static final int MAX_LENGTH = 255;

    public RepositoryName {
        if (value == null || value.length() > MAX_LENGTH || !NAME.matcher(value).matches()) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name: " + value);
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
