package dev.berth.registry.http;

import dev.berth.registry.RepositoryName;
import java.util.Optional;

/**
 * A request path of the distribution API, parsed from the right: a repository name may itself
 * contain slashes and even words such as {@code blobs} or {@code manifests}, so only the last
 * one to three segments say which endpoint is meant (spec.md "Endpoints"). The name is checked
 * by {@link RepositoryName} (NAME_INVALID) once the endpoint is known.
 *
 * @param endpoint which API endpoint
 * @param name the repository name, or null for {@code /v2/} and {@code /v2/_catalog}
 * @param reference the last segment: a tag or digest (manifests), a digest (blobs, referrers),
 *     an upload session id (upload), or null
 */
public record RegistryPath(Endpoint endpoint, String name, String reference) {

    public enum Endpoint { BASE, CATALOG, MANIFEST, BLOB, UPLOAD_START, UPLOAD, TAGS, REFERRERS }

    private static final String PREFIX = "/v2/";

    /** The endpoint a decoded request path names; empty when it is none of the API's. */
    public static Optional<RegistryPath> parse(String path) {
        if (path == null) {
            return Optional.empty();
        }
        if (path.equals("/v2") || path.equals(PREFIX)) {
            return Optional.of(new RegistryPath(Endpoint.BASE, null, null));
        }
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = path.substring(PREFIX.length());
        if (rest.equals("_catalog")) {
            return Optional.of(new RegistryPath(Endpoint.CATALOG, null, null));
        }
        if (rest.endsWith("/blobs/uploads/") || rest.endsWith("/blobs/uploads")) {
            String name = rest.substring(0, rest.lastIndexOf("/blobs/uploads"));
            return named(Endpoint.UPLOAD_START, name, null);
        }
        if (rest.endsWith("/tags/list")) {
            return named(Endpoint.TAGS, rest.substring(0, rest.length() - "/tags/list".length()), null);
        }
        int last = rest.lastIndexOf('/');
        if (last <= 0 || last == rest.length() - 1) {
            return Optional.empty();
        }
        String reference = rest.substring(last + 1);
        String head = rest.substring(0, last);
        int kindAt = head.lastIndexOf('/');
        if (kindAt <= 0) {
            return Optional.empty();
        }
        String kind = head.substring(kindAt + 1);
        String name = head.substring(0, kindAt);
        return switch (kind) {
            case "manifests" -> named(Endpoint.MANIFEST, name, reference);
            case "blobs" -> named(Endpoint.BLOB, name, reference);
            case "referrers" -> named(Endpoint.REFERRERS, name, reference);
            case "uploads" -> name.endsWith("/blobs") && name.length() > "/blobs".length()
                    ? named(Endpoint.UPLOAD, name.substring(0, name.length() - "/blobs".length()), reference)
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<RegistryPath> named(Endpoint endpoint, String name, String reference) {
        return name.isEmpty() ? Optional.empty() : Optional.of(new RegistryPath(endpoint, name, reference));
    }

    /** The repository, validated: NAME_INVALID when the name breaks the spec's grammar. */
    public RepositoryName repository() {
        return RepositoryName.of(name);
    }
}
