package dev.berth.image.snapshot;

import java.nio.file.Path;
import java.util.List;

/**
 * What a container's root filesystem is made of: an overlay of {@code lowerDirs} (top first, for
 * {@code lowerdir=}) with a writable {@code upperDir} and overlayfs' {@code workDir}.
 */
public record ContainerMount(List<Path> lowerDirs, Path upperDir, Path workDir) {
    public ContainerMount {
        lowerDirs = List.copyOf(lowerDirs);
    }

    /** The overlay mount data: {@code lowerdir=a:b,upperdir=u,workdir=w}. */
    public String overlayOptions() {
        StringBuilder lower = new StringBuilder();
        for (Path p : lowerDirs) {
            if (!lower.isEmpty()) {
                lower.append(':');
            }
            lower.append(p);
        }
        return "lowerdir=" + lower + ",upperdir=" + upperDir + ",workdir=" + workDir;
    }
}
