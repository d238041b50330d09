package dev.berth.image.store;

import java.util.List;

/**
 * The image part of {@code /system/df}: every image with the bytes it shares with other images
 * and the containers using it, and the total of all layers counted once.
 */
public record DiskUsage(long layersSize, List<ImageUsage> images) {
    public DiskUsage {
        images = List.copyOf(images);
    }

    /**
     * @param sharedSize bytes of layers another image uses too
     * @param containers how many containers use the image
     */
    public record ImageUsage(Image image, long sharedSize, int containers) {
        /** Bytes only this image uses. */
        public long uniqueSize() {
            return image.size() - sharedSize;
        }
    }
}
