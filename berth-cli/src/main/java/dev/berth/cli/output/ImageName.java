package dev.berth.cli.output;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;

/**
 * An image reference as the docker CLI parses one before it talks to the daemon
 * ({@code reference.ParseNormalizedNamed}, here berth-oci's {@link Reference}): {@code busybox} →
 * {@code docker.io/library/busybox}, with the tag and digest apart, and {@link #familiar()} for
 * display.
 *
 * @param domain  registry host, {@code docker.io} when none is given
 * @param path    repository path, {@code library/busybox} for an official image
 * @param tag     tag or null
 * @param digest  digest or null
 */
public record ImageName(String domain, String path, String tag, String digest) {
    /**
     * Parses and normalizes a reference.
     *
     * @throws IllegalArgumentException with docker's message ("invalid reference format", …)
     */
    public static ImageName parse(String text) {
        Reference r;
        try {
            r = Reference.parse(text);
        } catch (BerthException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new ImageName(r.domain(), r.path(), r.tag().orElse(null), r.digest().map(Object::toString).orElse(null));
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

    /** The full reference as docker's {@code reference.String} writes it: {@code docker.io/library/busybox:latest}. */
    public String full() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** True when there is neither tag nor digest. */
    public boolean nameOnly() {
        return tag == null && digest == null;
    }

    /** This name with tag "latest" when it has neither tag nor digest. */
    public ImageName withDefaultTag() {
        return tag == null && digest == null ? new ImageName(domain, path, "latest", null) : this;
    }
}
