package dev.berth.image.archive;

import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What image transfer needs from the image store: register an image with its tags, tell where a
 * tag points, and find images for {@code docker save}. The image service provides it; tests
 * use a map.
 */
public interface ImageRegistry {
    /** One layer of a registered image: diff id, chain id and the blob stored for it (null when none is kept). */
    record Layer(Digest diffId, Digest chainId, Descriptor blob) {
    }

    /** A stored image as save needs it. */
    record Stored(Digest id, List<Layer> layers, List<Reference> repoTags) {
        public Stored {
            layers = List.copyOf(layers);
            repoTags = List.copyOf(repoTags);
        }
    }

    /**
     * Adds the image (or finds it, when its id exists) and points each tag at it, taking the tag
     * from any image that had it. Config blob and layers are already stored.
     */
    Digest add(byte[] configBytes, List<Layer> layers, List<Reference> tags);

    /** The image a tag points to, if any. */
    Optional<Digest> imageOf(Reference tag);

    /** An image by docker's resolution (full id, unique id prefix, name:tag, name@digest); NOT_FOUND "No such image: …". */
    Stored resolve(String nameOrId);

    /** Every image that has at least one tag, with its tags. */
    List<Stored> tagged();

    /** The image service as a registry: what the daemon passes to {@link ImageTransfer}. */
    static ImageRegistry of(ImageService service) {
        return new ImageRegistry() {
            @Override
            public Digest add(byte[] configBytes, List<Layer> layers, List<Reference> tags) {
                return service.add(configBytes, layers.stream().map(Layer::blob).toList(), tags).id();
            }

            @Override
            public Optional<Digest> imageOf(Reference tag) {
                return service.byReference(tag.withDefaultTag()).map(Image::id);
            }

            @Override
            public Stored resolve(String nameOrId) {
                return stored(service.inspect(nameOrId));
            }

            @Override
            public List<Stored> tagged() {
                return service.list(Map.of()).stream().filter(i -> !i.dangling()).map(this::stored).toList();
            }

            private Stored stored(Image image) {
                List<Layer> layers = new ArrayList<>();
                for (Image.Layer l : image.layers()) {
                    layers.add(new Layer(l.diffId(), l.chainId(), l.blob().orElse(null)));
                }
                return new Stored(image.id(), layers, image.repoTags());
            }
        };
    }
}
