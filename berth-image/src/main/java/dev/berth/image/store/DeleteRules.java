package dev.berth.image.store;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * dockerd's rules for deleting an image (daemon/images/image_delete.go, restated): when a name
 * given to rmi is really an id, when an image counts as named by a single repository, and which
 * conflicts block a delete, in docker's words.
 */
final class DeleteRules {
    private DeleteRules() {}

    /** Whether the user named the image by (a prefix of) its id rather than by a reference. */
    static boolean isIdPrefix(Digest id, String given) {
        return id.toString().startsWith(given) || id.hex().startsWith(given);
    }

    /** docker's isSingleReference: at most one tag, and digest references only in that tag's repository. */
    static boolean isSingleReference(List<Reference> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        Reference single = null;
        Set<String> digestRepos = new HashSet<>();
        for (Reference r : refs) {
            if (r.isDigested()) {
                digestRepos.add(r.name());
            } else if (single == null) {
                single = r;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = refs.getFirst();
        }
        return digestRepos.size() == 1 && digestRepos.contains(single.name());
    }

    /** The soft conflicts force overrides. */
    enum Soft { REFERENCE, STOPPED_CONTAINER }

    /** A reason not to delete; {@code hard} ones (running containers) even force cannot override. */

    record Conflict(Digest id, boolean hard, boolean used, String message) {
        BerthException exception() {
            return BerthException.conflict("conflict: unable to delete " + id.shortHex() + " ("
                    + (hard ? "cannot be forced" : "must be forced") + ") - " + message);
        }
    }

    /** docker's delete conflicts: running containers always; references and stopped containers as asked. */
    static Optional<Conflict> conflict(Image image, List<ImageUsers.User> using, Set<Soft> soft) {
        for (ImageUsers.User u : using) {
            if (u.running()) {
                return Optional.of(new Conflict(image.id(), true, true,
                        "image is being used by running container " + shortId(u.containerId())));
            }
        }
        if (soft.contains(Soft.REFERENCE) && !image.references().isEmpty()) {
            return Optional.of(new Conflict(image.id(), false, false, "image is referenced in multiple repositories"));
        }
        if (soft.contains(Soft.STOPPED_CONTAINER) && !using.isEmpty()) {
            return Optional.of(new Conflict(image.id(), false, true,
                    "image is being used by stopped container " + shortId(using.getFirst().containerId())));
        }
        return Optional.empty();
    }

    static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

}
