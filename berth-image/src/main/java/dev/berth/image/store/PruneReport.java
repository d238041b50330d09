package dev.berth.image.store;

import java.util.List;

/** What {@code docker image prune} did: the delete lines and the bytes of layers freed (docker's SpaceReclaimed). */
public record PruneReport(List<DeleteResponseItem> deleted, long spaceReclaimed) {
    public PruneReport {
        deleted = List.copyOf(deleted);
    }
}
