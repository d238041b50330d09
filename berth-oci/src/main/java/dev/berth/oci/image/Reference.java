package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference {@code [domain[:port]/]path[:tag][@digest]} with Docker's grammar and
 * normalization (distribution/reference: reference.go and normalize.go):
 *
 * <pre>
 * domain          := host [':' port]          host: domain-name | IPv4 | '[' IPv6 ']'
 * domain-name     := component ('.' component)*   component: [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 * path            := path-component ('/' path-component)*
 * path-component  := [a-z0-9]+ (separator [a-z0-9]+)*     separator: [._] | '__' | '-'+
 * tag             := [\w][\w.-]{0,127}
 * digest          := algorithm ':' hex
 * </pre>
 *
 * The first path element is a domain only if it holds a '.' or ':', is {@code localhost}, or
 * has upper case; otherwise the domain is {@code docker.io}, and a one-element path there gets
 * {@code library/}. {@link #parse} keeps "no tag" apart from {@code :latest};
 * {@link #withDefaultTag()} adds it. Errors carry docker's words, as the docker CLI shows them.
 */
public final class Reference {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    public static final String OFFICIAL_PREFIX = "library/";
    public static final String DEFAULT_TAG = "latest";
    private static final int NAME_MAX = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final Pattern DOMAIN = Pattern.compile("(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?");
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REMAINDER = Pattern.compile(
            "(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern ID = Pattern.compile("[a-f0-9]{64}");

    private final String domain;
    private final String path;
    private final String tag;       // null when absent
    private final Digest digest;    // null when absent

    private Reference(String domain, String path, String tag, Digest digest) {
        this.domain = domain;
        this.path = path;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses and normalizes a reference as docker does ({@code ParseNormalizedNamed}).
     * An image id ({@code sha256:<hex>} or 64 hex) is not a name and is refused.
     *
     * @throws BerthException INVALID_ARGUMENT with docker's message
     */
    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw BerthException.invalid("invalid reference format");
        }
        if (ID.matcher(text).matches()) {
            throw BerthException.invalid("invalid repository name (" + text + "), cannot specify 64-byte hexadecimal strings");
        }
        if (Digest.isDigest(text)) {
            // an id, not a name; docker's reference store refuses it in the same words
            throw BerthException.invalid("refusing to create an ambiguous tag using digest algorithm as name");
        }
        String domain;
        String remainder;
        int slash = text.indexOf('/');
        String first = slash < 0 ? "" : text.substring(0, slash);
        if (slash < 0 || (first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
                && first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
            domain = DEFAULT_DOMAIN;
            remainder = text;
        } else {
            domain = first;
            remainder = text.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
            remainder = OFFICIAL_PREFIX + remainder;
        }
        int colon = remainder.indexOf(':');
        String remote = colon < 0 ? remainder : remainder.substring(0, colon);
        if (!remote.toLowerCase(java.util.Locale.ROOT).equals(remote)) {
            throw BerthException.invalid("invalid reference format: repository name (" + remote + ") must be lowercase");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw BerthException.invalid("invalid reference format");
        }
        Matcher m = REMAINDER.matcher(remainder);
        if (!m.matches()) {
            throw BerthException.invalid("invalid reference format");
        }
        String path = m.group(1);
        if (domain.length() + 1 + path.length() > NAME_MAX) {
            throw BerthException.invalid("repository name must not be more than " + NAME_MAX + " characters");
        }
        Digest digest = m.group(3) == null ? null : digest(m.group(3));
        return new Reference(domain, path, m.group(2), digest);
    }

    /** Whether {@code text} parses; no exception. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    /** Whether {@code text} is a tag on its own (what {@code docker tag img repo:TAG} takes). */
    public static boolean isValidTag(String text) {
        return text != null && text.matches(TAG);
    }

    // go-digest's errors, in its words
    private static Digest digest(String text) {
        int colon = text.indexOf(':');
        String algorithm = text.substring(0, colon);
        String hex = text.substring(colon + 1);
        int want = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw BerthException.invalid("unsupported digest algorithm");
        };
        if (hex.length() != want) {
            throw BerthException.invalid("invalid checksum digest length");
        }
        if (!hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            throw BerthException.invalid("invalid checksum digest format");
        }
        return new Digest(algorithm, hex);
    }

    /** The registry host (and port), {@code docker.io} for Docker Hub. */
    public String domain() {
        return domain;
    }

    /** The repository path in the registry, {@code library/busybox}. */
    public String path() {
        return path;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    /** The full repository name, {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository name as docker shows it, {@code busybox}, {@code localhost:5000/x}. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_PREFIX.length());
        }
        return path;
    }

    /** The reference as docker prints it: {@code busybox:latest}, {@code localhost:5000/x:1@sha256:…}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** The same reference, tagged {@code latest} when it has neither tag nor digest. */
    public Reference withDefaultTag() {
        return tag == null && digest == null ? new Reference(domain, path, DEFAULT_TAG, null) : this;
    }

    public Reference withTag(String newTag) {
        if (!isValidTag(newTag)) {
            throw BerthException.invalid("invalid tag format");
        }
        return new Reference(domain, path, newTag, digest);
    }

    public Reference withDigest(Digest newDigest) {
        return new Reference(domain, path, tag, Objects.requireNonNull(newDigest));
    }

    /** The repository alone, without tag or digest. */
    public Reference repository() {
        return new Reference(domain, path, null, null);
    }

    /** Just the tag part: drops the digest ({@code name:tag}). */
    public Reference withoutDigest() {
        return new Reference(domain, path, tag, null);
    }

    /** Just the digest part: drops the tag ({@code name@digest}). */
    public Reference withoutTag() {
        return new Reference(domain, path, null, digest);
    }

    public boolean isTagged() {
        return tag != null;
    }

    public boolean isDigested() {
        return digest != null;
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The full normalized form, {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reference r && domain.equals(r.domain) && path.equals(r.path)
                && Objects.equals(tag, r.tag) && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, path, tag, digest);
    }
}
