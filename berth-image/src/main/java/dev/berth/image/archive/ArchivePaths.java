package dev.berth.image.archive;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names inside an image archive. Every name is made relative and clean ({@code ./a//b} is
 * {@code a/b}); a name that is absolute or climbs with {@code ..} is hostile and refused, as is
 * a link that points out of the archive.
 */
final class ArchivePaths {
    private ArchivePaths() {
    }

    /** The clean relative form of an entry name, or INVALID_ARGUMENT naming it when it leaves the archive. */
    static String clean(String name) {
        if (name.startsWith("/")) {
            throw BerthException.invalid("invalid archive: entry \"" + name + "\" has an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw BerthException.invalid("invalid archive: entry \"" + name + "\" points outside the archive");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    /**
     * Where a symlink at {@code linkPath} with {@code target} leads, relative to the archive root.
     * An absolute target is taken from the archive root, as docker confines links to the archive;
     * a target that climbs above the root is refused.
     */
    static String symlinkTarget(String linkPath, String target) {
        List<String> parts = new ArrayList<>();
        if (!target.startsWith("/")) {
            int slash = linkPath.lastIndexOf('/');
            if (slash > 0) {
                parts.addAll(List.of(linkPath.substring(0, slash).split("/")));
            }
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw BerthException.invalid("invalid archive: link \"" + linkPath + "\" points outside the archive (" + target + ")");
                }
                parts.removeLast();
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** The digest a {@code blobs/<alg>/<hex>} name promises, if the name has that form. */
    static Optional<Digest> blobDigest(String path) {
        String[] parts = path.split("/");
        if (parts.length != 3 || !parts[0].equals("blobs")) {
            return Optional.empty();
        }
        String text = parts[1] + ":" + parts[2];
        return Digest.isDigest(text) ? Optional.of(Digest.parse(text)) : Optional.empty();
    }

    /** The archive name of a blob in an OCI layout. */
    static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }
}
