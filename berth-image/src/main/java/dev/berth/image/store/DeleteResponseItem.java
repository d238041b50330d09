package dev.berth.image.store;

/**
 * One line of docker's image delete answer ({@code ImageDeleteResponseItem}): a reference that
 * was removed ({@code Untagged: busybox:latest}) or an image or layer that was deleted
 * ({@code Deleted: sha256:…}). Exactly one of the two is non-empty.
 */
public record DeleteResponseItem(String untagged, String deleted) {
    public static DeleteResponseItem untagged(String reference) {
        return new DeleteResponseItem(reference, "");
    }

    public static DeleteResponseItem deleted(String id) {
        return new DeleteResponseItem("", id);
    }

    public boolean isUntagged() {
        return !untagged.isEmpty();
    }

    @Override
    public String toString() {
        return isUntagged() ? "Untagged: " + untagged : "Deleted: " + deleted;
    }
}
