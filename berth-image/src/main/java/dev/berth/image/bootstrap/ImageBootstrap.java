package dev.berth.image.bootstrap;

import dev.berth.image.io.FileTrees;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Base images without a registry ({@code berth image bootstrap busybox|debian}): a root
 * filesystem built on this host, committed as an ordinary one-layer image with a proper config.
 * All work happens in a temp directory of the data root, removed afterwards; nothing is cached.
 */
public final class ImageBootstrap {
    /** The PATH docker's official images set. */
    public static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path tempRoot;
    private final ImageTransfer transfer;

    public ImageBootstrap(Path dataRoot, ImageTransfer transfer) {
        this.tempRoot = dataRoot.resolve("tmp");
        this.transfer = transfer;
    }

    /** busybox from the host's static binary; tagged busybox:latest unless {@code tags} are given. */
    public Digest busybox(List<Reference> tags, Consumer<String> progress) {
        List<Reference> names = tags.isEmpty() ? List.of(Reference.parse("busybox:latest")) : tags;
        return inWorkDir(rootfs -> {
            progress.accept("building a busybox root filesystem from " + BusyboxRootfs.HOST_BUSYBOX);
            new BusyboxRootfs(BusyboxRootfs.HOST_BUSYBOX).build(rootfs);
            progress.accept("committing the image");
            return transfer.commitRootfs(rootfs, run(List.of("sh")),
                    "berth image bootstrap busybox (" + busyboxVersion().orElse("busybox") + ")", names);
        });
    }

    /**
     * Debian {@code suite} by debootstrap minbase from the host's apt mirror; tagged
     * debian:&lt;suite&gt; and debian:latest unless {@code tags} are given.
     */
    public Digest debian(String suite, List<Reference> tags, Consumer<String> progress) {
        List<Reference> names = tags.isEmpty()
                ? List.of(Reference.parse("debian:" + suite), Reference.parse("debian:latest")) : tags;
        AptMirror mirror = AptMirror.fromHost(Path.of("/etc/apt"), suite);
        return inWorkDir(rootfs -> {
            progress.accept("debootstrap --variant=minbase " + suite + " from " + mirror.uri());
            new DebianRootfs(suite, mirror).build(rootfs, progress);
            progress.accept("committing the image");
            return transfer.commitRootfs(rootfs, run(List.of("bash")),
                    "berth image bootstrap debian (debootstrap --variant=minbase " + suite + " " + mirror.uri() + ")", names);
        });
    }

    static ImageConfig.Config run(List<String> cmd) {
        return ImageConfig.Config.EMPTY.withEnv(List.of(PATH)).withCmd(cmd);
    }

    private interface Work {
        Digest run(Path rootfs);
    }

    private Digest inWorkDir(Work work) {
        Path dir = tempRoot.resolve("bootstrap-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            return work.run(dir.resolve("rootfs"));
        } catch (IOException e) {
            throw BerthException.internal("bootstrap: " + e.getMessage(), e);
        } finally {
            remove(dir);
        }
    }

    /** Removes the work directory, first unmounting anything a failed debootstrap left mounted inside it. */
    static void remove(Path dir) {
        try {
            List<String> mounted = new ArrayList<>();
            String prefix = dir.toAbsolutePath() + "/";
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                String target = fields.length > 1 ? fields[1].replace("\\040", " ") : "";
                if (target.startsWith(prefix)) {
                    mounted.add(target);
                }
            }
            mounted.sort(Comparator.comparing(String::length).reversed());
            for (String target : mounted) {
                Process p = new ProcessBuilder("umount", "-l", target).redirectErrorStream(true).start();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            if (!mounted.isEmpty()) {
                for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
                    if (line.split(" ").length > 1 && line.split(" ")[1].startsWith(prefix)) {
                        throw BerthException.internal("bootstrap: " + line.split(" ")[1] + " is still mounted; leaving " + dir);
                    }
                }
            }
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw BerthException.internal("bootstrap: cannot remove " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> busyboxVersion() {
        try {
            Process p = new ProcessBuilder(BusyboxRootfs.HOST_BUSYBOX.toString()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String first = new String(p.getInputStream().readNBytes(200), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            p.waitFor(10, TimeUnit.SECONDS);
            int paren = first.indexOf(" (");
            return first.startsWith("BusyBox v") ? Optional.of(paren > 0 ? first.substring(0, paren) : first) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
