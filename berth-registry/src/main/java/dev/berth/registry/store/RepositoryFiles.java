package dev.berth.registry.store;

import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.registry.RepositoryName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One repository's small files under {@code repositories/<name>/}. Its own directories start
 * with '_', which no component of a repository name can, so {@code a/_tags} and the repository
 * {@code a/b} never collide:
 * <pre>
 * _blobs/&lt;alg&gt;/&lt;hex&gt;                       empty link: the repository has this blob
 * _manifests/&lt;alg&gt;/&lt;hex&gt;                   link to a manifest; holds the media type it was pushed with
 * _tags/&lt;tag&gt;                                  the digest the tag points at
 * _referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;-&lt;hex&gt;      a referrer of subject alg:hex: its descriptor as JSON
 * </pre>
 * Every file is written whole (temp + rename); readers see the old content or the new.
 */
final class RepositoryFiles {
    private static final List<String> OWN_DIRS = List.of("_blobs", "_manifests", "_tags");

    final RepositoryName name;
    private final Path dir;

    RepositoryFiles(Path repositoriesRoot, RepositoryName name) {
        this.name = name;
        this.dir = repositoriesRoot.resolve(name.value());
    }

    /** Whether the repository ever held a blob link, a manifest or a tag. */
    boolean exists() {
        for (String own : OWN_DIRS) {
            if (Files.isDirectory(dir.resolve(own))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the repository holds at least one blob link, manifest or tag; stops at the first
     * entry found, so listing the catalog does not read every link of every repository.
     */
    boolean holdsAnything() {
        for (String own : OWN_DIRS) {
            Path d = dir.resolve(own);
            List<Path> level = own.equals("_tags") ? List.of(d) : BlobFiles.ALGORITHMS.stream().map(d::resolve).toList();
            for (Path p : level) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(p, e -> !AtomicFiles.isTemp(e))) {
                    if (entries.iterator().hasNext()) {
                        return true;
                    }
                } catch (NoSuchFileException e) {
                    // none of this kind
                } catch (IOException e) {
                    throw BerthException.internal("list " + p + ": " + e.getMessage(), e);
                }
            }
        }
        return false;
    }

    // ---- blob links

    private Path blobLink(Digest d) {
        return dir.resolve("_blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    boolean hasBlob(Digest d) {
        return Files.exists(blobLink(d));
    }

    /**
     * Links the blob, or refreshes an existing link. The link's modification time is when the
     * repository last received the blob (upload or mount): garbage collection spares a link
     * that no manifest names yet while it is younger than its grace period (a push under way).
     */
    void linkBlob(Digest d, Instant now) {
        Path link = blobLink(d);
        try {
            if (!Files.exists(link)) {
                AtomicFiles.createDirectories(link.getParent());
                try {
                    Files.createFile(link);
                    AtomicFiles.syncDirectory(link.getParent());
                } catch (FileAlreadyExistsException e) {
                    // a concurrent link of the same blob: the same outcome
                }
            }
            Files.setLastModifiedTime(link, FileTime.from(now));
        } catch (IOException e) {
            throw BerthException.internal("link " + link + ": " + e.getMessage(), e);
        }
    }

    /** When the blob was last linked; empty when it is not. */
    Optional<Instant> blobLinkTime(Digest d) {
        try {
            return Optional.of(Files.getLastModifiedTime(blobLink(d)).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("stat " + blobLink(d) + ": " + e.getMessage(), e);
        }
    }

    boolean unlinkBlob(Digest d) {
        return AtomicFiles.delete(blobLink(d));
    }

    List<Digest> blobLinks() {
        return digestsUnder(dir.resolve("_blobs"));
    }

    // ---- manifests

    private Path manifestLink(Digest d) {
        return dir.resolve("_manifests").resolve(d.algorithm()).resolve(d.hex());
    }

    /** The media type the manifest was pushed with; empty when the repository lacks it. */
    Optional<String> manifestMediaType(Digest d) {
        return readString(manifestLink(d));
    }

    boolean hasManifest(Digest d) {
        return Files.exists(manifestLink(d));
    }

    void linkManifest(Digest d, String mediaType) {
        Path link = manifestLink(d);
        AtomicFiles.createDirectories(link.getParent());
        AtomicFiles.write(link, mediaType.getBytes(StandardCharsets.UTF_8));
    }

    boolean unlinkManifest(Digest d) {
        return AtomicFiles.delete(manifestLink(d));
    }

    List<Digest> manifests() {
        return digestsUnder(dir.resolve("_manifests"));
    }

    // ---- tags

    private Path tagFile(String tag) {
        return dir.resolve("_tags").resolve(tag);
    }

    /** The digest a tag points at; empty when there is no such tag. */
    Optional<Digest> tag(String tag) {
        return readString(tagFile(tag)).filter(Digest::isDigest).map(Digest::parse);
    }

    void writeTag(String tag, Digest d) {
        Path file = tagFile(tag);
        AtomicFiles.createDirectories(file.getParent());
        AtomicFiles.write(file, d.toString().getBytes(StandardCharsets.UTF_8));
    }

    boolean deleteTag(String tag) {
        return AtomicFiles.delete(tagFile(tag));
    }

    /** Tag names in lexical order; temp files a crash left behind are not tags and are skipped. */
    List<String> tags() {
        TreeSet<String> out = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve("_tags"))) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (ManifestReference.isTag(name)) {
                    out.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw BerthException.internal("list tags of " + name + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(out);
    }

    // ---- referrers

    private Path referrerDir(Digest subject) {
        return dir.resolve("_referrers").resolve(subject.algorithm()).resolve(subject.hex());
    }

    void recordReferrer(Digest subject, Descriptor referrer) {
        Path d = referrerDir(subject);
        AtomicFiles.createDirectories(d);
        AtomicFiles.write(d.resolve(fileName(referrer.digest())), ImageJson.write(referrer));
    }

    void forgetReferrer(Digest subject, Digest referrer) {
        AtomicFiles.delete(referrerDir(subject).resolve(fileName(referrer)));
    }

    /** The recorded referrers of {@code subject}, unreadable records skipped. */
    List<Descriptor> referrers(Digest subject) {
        List<Descriptor> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(referrerDir(subject))) {
            for (Path p : entries) {
                if (AtomicFiles.isTemp(p)) {
                    continue;
                }
                try {
                    out.add(ImageJson.parseDescriptor(Files.readAllBytes(p)));
                } catch (BerthException | NoSuchFileException e) {
                    // deleted meanwhile, or not a record of ours: not a referrer
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw BerthException.internal("list referrers in " + name + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every referrer record as subject → referrer digests (for garbage collection). */
    Map<Digest, List<Digest>> referrerRecords() {
        Map<Digest, List<Digest>> out = new TreeMap<>();
        Path base = dir.resolve("_referrers");
        for (Digest subject : digestsUnder(base, true)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(referrerDir(subject))) {
                for (Path p : entries) {
                    String text = p.getFileName().toString().replaceFirst("-", ":");
                    if (Digest.isDigest(text)) {
                        out.computeIfAbsent(subject, k -> new ArrayList<>()).add(Digest.parse(text));
                    }
                }
            } catch (IOException e) {
                // removed meanwhile: nothing to collect there
            }
        }
        return out;
    }

    private static String fileName(Digest d) {
        return d.algorithm() + "-" + d.hex();
    }

    // ---- maintenance

    /** Removes the temp files a crash left among this repository's small files. */
    void sweepTempFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String own : List.of("_manifests", "_tags", "_referrers")) {
            Path d = dir.resolve(own);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var walk = Files.walk(d)) {
                walk.filter(AtomicFiles::isTemp).forEach(AtomicFiles::deleteQuietly);
            } catch (IOException e) {
                throw BerthException.internal("sweep " + d + ": " + e.getMessage(), e);
            }
        }
    }

    private static Optional<String> readString(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Digest> digestsUnder(Path base) {
        return digestsUnder(base, false);
    }

    private static List<Digest> digestsUnder(Path base, boolean directories) {
        List<Digest> out = new ArrayList<>();
        for (String alg : BlobFiles.ALGORITHMS) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(base.resolve(alg))) {
                for (Path p : entries) {
                    if (directories && !Files.isDirectory(p)) {
                        continue;
                    }
                    String text = alg + ":" + p.getFileName();
                    if (Digest.isDigest(text)) {
                        out.add(Digest.parse(text));
                    }
                }
            } catch (NoSuchFileException e) {
                // nothing of this algorithm
            } catch (IOException e) {
                throw BerthException.internal("list " + base.resolve(alg) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
