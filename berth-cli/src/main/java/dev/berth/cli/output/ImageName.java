package dev.berth.cli.output;

import java.util.regex.Pattern;

/**
 * An image reference as the docker CLI parses one before it talks to the daemon
 * ({@code reference.ParseNormalizedNamed}): {@code busybox} → {@code docker.io/library/busybox},
 * with the tag and digest apart, and {@link #familiar()} for display. The daemon owns the full
 * grammar (berth-oci's Reference); this is only what the client needs to build queries and rows.
 *
 * @param domain  registry host, {@code docker.io} when none is given
 * @param path    repository path, {@code library/busybox} for an official image
 * @param tag     tag or null
 * @param digest  digest or null
 */
public record ImageName(String domain, String path, String tag, String digest) {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

    /**
     * Parses and normalizes a reference.
     *
     * @throws IllegalArgumentException "invalid reference format" (with docker's detail for upper case)
     */
    public static ImageName parse(String text) {
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid();
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid();
            }
        }
        if (rest.isEmpty() || rest.length() > 255) {
            throw invalid();
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash < 0 || !first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase().equals(first)) {
            domain = "docker.io";
            path = rest;
        } else {
            domain = first;
            path = rest.substring(slash + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = "docker.io";
        }
        if (domain.equals("docker.io") && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!path.toLowerCase().equals(path)) {
            throw new IllegalArgumentException("invalid reference format: repository name (" + path + ") must be lowercase");
        }
        if (!PATH.matcher(path).matches() || !DOMAIN.matcher(domain).matches()) {
            throw invalid();
        }
        return new ImageName(domain, path, tag, digest);
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("invalid reference format");
    }

    /** {@code docker.io/library/busybox}: the normalized name without tag or digest. */
    public String name() {
        return domain + "/" + path;
    }

    /** The name as docker shows it: {@code busybox}, {@code foo/bar}, {@code localhost:5000/x}. */
    public String familiarName() {
        if (domain.equals("docker.io")) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return name();
    }

    /** The familiar name with tag and digest, as docker prints a reference. */
    public String familiar() {
        return familiarName() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** This name with tag "latest" when it has neither tag nor digest. */
    public ImageName withDefaultTag() {
        return tag == null && digest == null ? new ImageName(domain, path, "latest", null) : this;
    }
}
