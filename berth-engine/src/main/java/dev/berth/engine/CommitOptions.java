package dev.berth.engine;

import dev.berth.oci.image.Reference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /commit}: the tag to give the new image, docker commit's -m (comment), -a (author),
 * -c (Dockerfile instructions: CMD, ENTRYPOINT, ENV, …) and --pause (default true).
 */
public record CommitOptions(Optional<Reference> tag, String comment, String author, List<String> changes, boolean pause) {
    public CommitOptions {
        Objects.requireNonNull(tag, "tag");
        comment = Objects.requireNonNullElse(comment, "");
        author = Objects.requireNonNullElse(author, "");
        changes = List.copyOf(changes);
    }

    public static CommitOptions of(Optional<Reference> tag) {
        return new CommitOptions(tag, "", "", List.of(), true);
    }
}
