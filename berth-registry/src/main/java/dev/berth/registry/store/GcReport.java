package dev.berth.registry.store;

import dev.berth.oci.image.Digest;
import java.util.List;

/** What a garbage collection removed (or, with dry run, would remove). */
public record GcReport(boolean dryRun, List<Digest> blobsRemoved, List<Digest> manifestsRemoved, long bytesFreed) {
    public GcReport {
        blobsRemoved = List.copyOf(blobsRemoved);
        manifestsRemoved = List.copyOf(manifestsRemoved);
    }
}
