package dev.berth.registry.store;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.registry.RegistryException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One mark-and-sweep over a store that no one writes meanwhile (the store holds its GC lock).
 *
 * <p>With {@code deleteUntagged}, a repository keeps only the manifests reachable from its tags:
 * the tagged ones, the manifests a kept index names, and the referrers (signatures, SBOMs) of a
 * kept manifest, transitively; the others are unlinked first.
 *
 * <p>Marked are: every remaining manifest and the blobs it names (config, layers), and every
 * blob link younger than the grace cutoff (a push that has not sent its manifest yet). A blob
 * link older than that which no manifest of its repository names is dropped, as distribution's
 * collector lets such blobs go; without that, deleting an image would never free its layers.
 * Every blob file left unmarked is swept.
 */
final class GarbageCollector {
    private final BlobFiles blobs;
    private final List<RepositoryFiles> repositories;
    private final Instant graceCutoff;

    GarbageCollector(BlobFiles blobs, List<RepositoryFiles> repositories, Instant graceCutoff) {
        this.blobs = blobs;
        this.repositories = repositories;
        this.graceCutoff = graceCutoff;
    }

    GcReport run(boolean dryRun, boolean deleteUntagged) {
        Set<Digest> marked = new HashSet<>();
        List<Digest> manifestsRemoved = new ArrayList<>();
        for (RepositoryFiles repo : repositories) {
            Set<Digest> kept = deleteUntagged ? reachableFromTags(repo) : new HashSet<>(repo.manifests());
            Set<Digest> named = new HashSet<>();
            for (Digest m : repo.manifests()) {
                if (kept.contains(m)) {
                    named.add(m);
                    read(repo, m).ifPresent(check -> check.blobs().forEach(d -> named.add(d.digest())));
                } else {
                    manifestsRemoved.add(m);
                    if (!dryRun) {
                        read(repo, m).flatMap(ManifestCheck::subject).ifPresent(s -> repo.forgetReferrer(s.digest(), m));
                        repo.unlinkManifest(m);
                    }
                }
            }
            marked.addAll(named);
            if (!dryRun) {
                repo.referrerRecords().forEach((subject, referrers) -> referrers.stream()
                        .filter(r -> !repo.hasManifest(r))
                        .forEach(r -> repo.forgetReferrer(subject, r)));
            }
            for (Digest link : repo.blobLinks()) {
                boolean young = repo.blobLinkTime(link).map(t -> !t.isBefore(graceCutoff)).orElse(false);
                if (named.contains(link) || young) {
                    marked.add(link);
                } else if (!dryRun) {
                    repo.unlinkBlob(link);
                }
            }
        }
        List<Digest> blobsRemoved = new ArrayList<>();
        long bytesFreed = 0;
        for (Digest d : blobs.list()) {
            if (marked.contains(d)) {
                continue;
            }
            long size = blobs.size(d).orElse(0L);
            if (dryRun || blobs.delete(d)) {
                blobsRemoved.add(d);
                bytesFreed += size;
            }
        }
        return new GcReport(dryRun, blobsRemoved, manifestsRemoved.stream().distinct().sorted().toList(), bytesFreed);
    }

    private Set<Digest> reachableFromTags(RepositoryFiles repo) {
        Set<Digest> kept = new HashSet<>();
        List<Digest> todo = new ArrayList<>();
        for (String tag : repo.tags()) {
            repo.tag(tag).ifPresent(todo::add);
        }
        while (!todo.isEmpty()) {
            Digest m = todo.removeLast();
            if (!repo.hasManifest(m) || !kept.add(m)) {
                continue;
            }
            read(repo, m).ifPresent(check -> check.manifests().forEach(d -> todo.add(d.digest())));
            repo.referrers(m).stream().map(Descriptor::digest).forEach(todo::add);
        }
        return kept;
    }

    private Optional<ManifestCheck> read(RepositoryFiles repo, Digest manifest) {
        try {
            String mediaType = repo.manifestMediaType(manifest).orElse(null);
            return Optional.of(ManifestCheck.read(blobs.read(manifest), mediaType));
        } catch (NoSuchFileException | RegistryException e) {
            return Optional.empty(); // unreadable: it names nothing we could keep
        }
    }
}
