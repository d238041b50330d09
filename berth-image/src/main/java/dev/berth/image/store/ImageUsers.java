package dev.berth.image.store;

import dev.berth.oci.image.Digest;
import java.util.List;
import java.util.function.Predicate;

/**
 * Who uses an image: the containers made from it (issue 4 fills this in). Deleting an image a
 * running container uses is refused even with force; a stopped one needs force.
 */
@FunctionalInterface
public interface ImageUsers {
    /** The containers using the image, running ones first. */
    List<User> users(Digest imageId);

    /** A container using an image; {@code containerId} may be "" when the hook does not know it. */
    record User(String containerId, boolean running) {}

    static ImageUsers none() {
        return id -> List.of();
    }

    /** Adapts a plain in-use test: a used image counts as used by one stopped, unnamed container. */
    static ImageUsers of(Predicate<Digest> inUse) {
        return id -> inUse.test(id) ? List.of(new User("", false)) : List.of();
    }
}
