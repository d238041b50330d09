package dev.berth.image.archive;

import dev.berth.image.archive.LoadPlan.PlannedImage;
import dev.berth.image.archive.LoadPlan.PlannedLayer;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the manifest of a scanned archive into a {@link LoadPlan}: docker's {@code manifest.json}
 * when there is one (every docker-archive, including Docker 25+'s, which is also an OCI layout),
 * else the {@code index.json} of an OCI image layout. Every document is validated here, before
 * anything is stored.
 */
final class LoadPlanner {
    static final String OCI_LAYOUT = "oci-layout";
    static final String INDEX = "index.json";

    private final Function<String, Optional<byte[]>> files;
    private final Platform platform;

    /** {@code files} reads a (small) file of the archive by name, following links. */
    LoadPlanner(Function<String, Optional<byte[]>> files, Platform platform) {
        this.files = files;
        this.platform = platform;
    }

    LoadPlan plan() {
        Optional<byte[]> manifest = files.apply(ArchiveManifest.FILE);
        if (manifest.isPresent()) {
            return fromDockerManifest(ArchiveManifest.parse(manifest.get()));
        }
        Optional<byte[]> index = files.apply(INDEX);
        if (index.isPresent()) {
            checkLayoutVersion();
            return fromOciIndex(ImageJson.parseIndex(index.get()));
        }
        throw BerthException.invalid("invalid archive: no manifest.json (docker-archive) and no index.json (OCI image layout)");
    }

    private LoadPlan fromDockerManifest(List<ArchiveManifest> manifests) {
        List<PlannedImage> images = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            ArchiveManifest m = manifests.get(i);
            String where = ArchiveManifest.FILE + "[" + i + "]";
            byte[] configBytes = files.apply(m.config()).orElseThrow(() -> BerthException.invalid(
                    "invalid archive: " + where + ": config \"" + m.config() + "\" is not in the archive"));
            ImageConfig config = parseConfig(configBytes, m.config());
            if (config.diffIds().size() != m.layers().size()) {
                throw BerthException.invalid("invalid manifest, layers length mismatch: " + where + " lists "
                        + m.layers().size() + " layers, its config has " + config.diffIds().size() + " diff_ids");
            }
            List<PlannedLayer> layers = new ArrayList<>();
            for (int j = 0; j < m.layers().size(); j++) {
                layers.add(new PlannedLayer(m.layers().get(j), config.diffIds().get(j), Optional.empty()));
            }
            List<Reference> tags = new ArrayList<>();
            for (String repoTag : m.repoTags()) {
                tags.add(tag(repoTag));
            }
            images.add(new PlannedImage(configBytes, config, layers, tags, Optional.empty()));
        }
        return new LoadPlan(images);
    }

    private LoadPlan fromOciIndex(ImageIndex index) {
        Map<Digest, PlannedImage> byId = new LinkedHashMap<>();
        for (Descriptor d : index.manifests()) {
            for (PlannedImage image : images(d, names(d), 0)) {
                PlannedImage seen = byId.get(image.id());
                if (seen == null) {
                    byId.put(image.id(), image);
                } else {
                    List<Reference> tags = new ArrayList<>(seen.tags());
                    image.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
                    byId.put(image.id(), new PlannedImage(seen.configBytes(), seen.config(), seen.layers(), tags, seen.manifest()));
                }
            }
        }
        return new LoadPlan(List.copyOf(byId.values()));
    }

    /** The image(s) a descriptor of an index names: a manifest, or the manifest for this platform in a nested index. */
    private List<PlannedImage> images(Descriptor d, List<Reference> names, int depth) {
        if (depth > 4) {
            throw BerthException.invalid("invalid archive: indexes nested too deep at " + d.digest());
        }
        byte[] bytes = blob(d);
        String mediaType = d.mediaType().isEmpty() ? ImageJson.mediaTypeOf(bytes) : d.mediaType();
        if (MediaTypes.isIndex(mediaType)) {
            ImageIndex nested = ImageJson.parseIndex(bytes);
            for (Descriptor m : nested.manifests()) {
                if (m.platform().map(this::matches).orElse(false)) {
                    return images(m, names, depth + 1);
                }
            }
            if (names.isEmpty()) {
                return List.of();
            }
            throw BerthException.invalid("invalid archive: index " + d.digest() + " has no image for " + platform);
        }
        if (!MediaTypes.isManifest(mediaType)) {
            return List.of(); // artifacts, signatures and the like are not images
        }
        ImageManifest manifest = ImageJson.parseManifest(bytes);
        if (!MediaTypes.isConfig(manifest.config().mediaType())) {
            return List.of();
        }
        byte[] configBytes = blob(manifest.config());
        ImageConfig config = parseConfig(configBytes, ArchivePaths.blobPath(manifest.config().digest()));
        if (config.architecture().equals("unknown") || config.os().equals("unknown")) {
            return List.of(); // buildx's attestation manifests
        }
        if (config.diffIds().size() != manifest.layers().size()) {
            throw BerthException.invalid("invalid manifest, layers length mismatch: manifest " + d.digest() + " lists "
                    + manifest.layers().size() + " layers, its config has " + config.diffIds().size() + " diff_ids");
        }
        List<PlannedLayer> layers = new ArrayList<>();
        for (int j = 0; j < manifest.layers().size(); j++) {
            Descriptor layer = manifest.layers().get(j);
            if (!MediaTypes.isLayer(layer.mediaType())) {
                throw BerthException.invalid("invalid archive: manifest " + d.digest() + ": layer " + j
                        + " has media type \"" + layer.mediaType() + "\", not a layer type");
            }
            layers.add(new PlannedLayer(ArchivePaths.blobPath(layer.digest()), config.diffIds().get(j), Optional.of(layer)));
        }
        return List.of(new PlannedImage(configBytes, config, layers, names, Optional.of(d.withMediaType(mediaType))));
    }

    private boolean matches(Platform p) {
        return p.os().equals(platform.os()) && p.architecture().equals(platform.architecture());
    }

    /**
     * Names from the annotations docker and containerd write: {@code io.containerd.image.name}
     * is the full reference; {@code org.opencontainers.image.ref.name} counts only when it is a
     * whole reference too (a bare tag has no repository to go with it).
     */
    private static List<Reference> names(Descriptor d) {
        String full = d.annotations().get(ImageIndex.IMAGE_NAME);
        if (full != null) {
            return List.of(tag(full));
        }
        String ref = d.annotations().get(ImageIndex.REF_NAME);
        if (ref != null && (ref.contains("/") || ref.contains(":")) && Reference.isValid(ref)) {
            Reference r = Reference.parse(ref);
            if (r.isTagged() && !r.isDigested()) {
                return List.of(r);
            }
        }
        return List.of();
    }

    /** A blob of the layout by descriptor, checked against its digest and size. */
    private byte[] blob(Descriptor d) {
        String path = ArchivePaths.blobPath(d.digest());
        byte[] bytes = files.apply(path).orElseThrow(() -> BerthException.invalid("invalid archive: blob " + d.digest() + " is not in the archive"));
        Digest actual = Digest.of(d.digest().algorithm(), bytes);
        if (!actual.equals(d.digest())) {
            throw BerthException.invalid("digest mismatch: want " + d.digest() + ", got " + actual);
        }
        if (d.size() != bytes.length) {
            throw BerthException.invalid("invalid archive: blob " + d.digest() + " has " + bytes.length + " bytes, its descriptor says " + d.size());
        }
        return bytes;
    }

    private void checkLayoutVersion() {
        Optional<byte[]> layout = files.apply(OCI_LAYOUT);
        if (layout.isEmpty()) {
            return; // docker and skopeo always write it; its absence alone is no reason to refuse the index
        }
        JsonObject o = JsonObject.root(OCI_LAYOUT, Json.parse(new String(layout.get(), StandardCharsets.UTF_8), OCI_LAYOUT));
        String version = o.string("imageLayoutVersion").orElseThrow(() -> o.error("imageLayoutVersion", "required"));
        if (!version.startsWith("1.")) {
            throw BerthException.invalid("oci-layout: unsupported imageLayoutVersion \"" + version + "\"");
        }
    }

    private ImageConfig parseConfig(byte[] bytes, String path) {
        ImageConfig config;
        try {
            config = ImageJson.parseConfig(bytes);
        } catch (BerthException e) {
            throw BerthException.invalid("invalid archive: " + path + ": " + e.getMessage());
        }
        if (!config.os().equals(platform.os()) && !config.os().equals("unknown")) {
            throw BerthException.invalid("cannot load " + config.os() + " image on " + platform.os());
        }
        return config;
    }

    /** A name to tag with: docker wants name:tag here, never a digest or a bare name. */
    static Reference tag(String text) {
        Reference r = Reference.parse(text);
        if (!r.isTagged() || r.isDigested()) {
            throw BerthException.invalid("invalid tag \"" + text + "\"");
        }
        return r;
    }
}
