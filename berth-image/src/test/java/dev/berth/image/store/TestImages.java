package dev.berth.image.store;

import dev.berth.image.content.ContentStore;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds test images: each layer is named by a string whose bytes are its "tar" (so equal names
 * share a layer); its snapshot size is 1000 × the name's length; its blob goes to the content store.
 */
final class TestImages {
    private final ContentStore content;
    private final FakeSnapshotter snapshotter;
    private final ImageService service;

    TestImages(ContentStore content, FakeSnapshotter snapshotter, ImageService service) {
        this.content = content;
        this.snapshotter = snapshotter;
        this.service = service;
    }

    static long sizeOf(String layer) {
        return 1000L * layer.length();
    }

    /** A config for the layers, created at {@code created}, with a history step per layer plus an empty CMD step. */
    static byte[] config(Instant created, Map<String, String> labels, String... layers) {
        List<Digest> diffIds = new ArrayList<>();
        List<ImageConfig.History> history = new ArrayList<>();
        for (String l : layers) {
            diffIds.add(Digest.sha256(l.getBytes(StandardCharsets.UTF_8)));
            history.add(ImageConfig.History.of(created, "ADD " + l + " /", "", false));
        }
        history.add(ImageConfig.History.of(created, "CMD [\"sh\"]", "", true));
        ImageConfig.Config run = ImageConfig.Config.EMPTY.withCmd(List.of("sh")).withLabels(labels);
        return ImageJson.write(ImageConfig.of(Platform.of("linux", "amd64"), created, run, diffIds, history));
    }

    /** Unpacks (fake) and stores the layers, then adds the image with {@code tags}. */
    Image add(Instant created, Map<String, String> labels, List<String> tags, String... layers) {
        List<Digest> diffIds = new ArrayList<>();
        List<Descriptor> blobs = new ArrayList<>();
        for (String l : layers) {
            byte[] tar = l.getBytes(StandardCharsets.UTF_8);
            Digest diffId = content.put(tar);
            diffIds.add(diffId);
            blobs.add(Descriptor.of(MediaTypes.DOCKER_LAYER_TAR, diffId, tar.length));
        }
        List<Digest> chains = ChainId.all(diffIds);
        for (int i = 0; i < chains.size(); i++) {
            if (!snapshotter.hasLayer(chains.get(i))) {
                snapshotter.put(chains.get(i), i == 0 ? null : chains.get(i - 1), diffIds.get(i), sizeOf(layers[i]));
            }
        }
        List<Reference> refs = new ArrayList<>();
        for (String t : tags) {
            refs.add(Reference.parse(t));
        }
        return service.add(config(created, labels, layers), blobs, refs);
    }

    Image add(String createdIso, String tag, String... layers) {
        return add(Instant.parse(createdIso), Map.of(), tag == null ? List.of() : List.of(tag), layers);
    }
}
