package dev.berth.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.engine.ContainerEngine;
import dev.berth.engine.EngineOptions;
import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.bootstrap.ImageBootstrap;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.ImageService;
import dev.berth.oci.image.Reference;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A data root and exec root in /tmp with a busybox image (bootstrapped from the host's static
 * busybox), and the engine over them. {@link #assertNoLeaks} checks what a test must not leave:
 * mounts under the roots, cgroup directories of the engine's containers, child processes.
 */
public final class EngineFixture implements AutoCloseable {
    public final Path base;
    public final Path dataRoot;
    public final Path execRoot;
    public ImageService images;
    public ContainerEngine engine;
    /** The cgroup parents (/berth in each hierarchy) that did not exist before this fixture. */
    private final List<Path> parentsToRemove = new ArrayList<>();

    public EngineFixture() {
        base = Path.of("/tmp/berth-engine-test-" + UUID.randomUUID().toString().substring(0, 8));
        dataRoot = base.resolve("data");
        execRoot = base.resolve("exec");
        // the runtime leaves a /berth parent that containers overlapping in time shared (it removes
        // only the parents a container's own create made); the test removes what it brought
        try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path ctl : controllers.toList()) {
                Path parent = ctl.resolve("berth");
                if (Files.isDirectory(ctl) && !Files.exists(parent)) {
                    parentsToRemove.add(parent);
                }
            }
        } catch (IOException e) {
            // no cgroup filesystem: nothing to clean up either
        }
    }

    /** Skips unless root on Linux with overlayfs, busybox-static and the built berth-init. */
    public static void assumePrivileged() {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled with -Dberth.skipPrivileged=true");
        assumeTrue(isRoot(), "needs root: mounts, namespaces and cgroups (run as root, as CI does)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox (apt-get install busybox-static)");
        assumeTrue(Files.isExecutable(helper()), "needs the berth-init helper built at " + helper());
        try {
            assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("overlay"), "needs overlayfs in the kernel");
        } catch (IOException e) {
            assumeTrue(false, "cannot read /proc/filesystems");
        }
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    public static Path helper() {
        String repo = System.getProperty("berth.repo");
        Path base = repo == null ? Path.of("").toAbsolutePath().getParent() : Path.of(repo);
        return base.resolve("berth-runtime/target/berth-init");
    }

    /** Opens the images with a busybox:latest image, and the engine. */
    public EngineFixture start() {
        startImages();
        engine = openEngine();
        return this;
    }

    /** As {@link #start}, the engine with networking: the network kernel, a default bridge device (or none) and its --bip. */
    public EngineFixture startWithNetworks(dev.berth.engine.network.NetworkKernel kernel, String bridge, String bip) {
        startImages();
        engine = openEngine(kernel, bridge, bip);
        return this;
    }

    private void startImages() {
        OverlaySnapshotter snapshots = new OverlaySnapshotter(dataRoot);
        images = ImageService.open(dataRoot, snapshots);
        ImageTransfer transfer = new ImageTransfer(dataRoot, images.content(), snapshots, ImageRegistry.of(images));
        new ImageBootstrap(dataRoot, transfer).busybox(List.of(Reference.parse("busybox:latest")), s -> { });
    }

    public ContainerEngine openEngine() {
        return ContainerEngine.open(EngineOptions.of(dataRoot, execRoot, helper()), images);
    }

    public ContainerEngine openEngine(dev.berth.engine.network.NetworkKernel kernel, String bridge, String bip) {
        return ContainerEngine.open(EngineOptions.of(dataRoot, execRoot, helper()).withBridge(bridge, bip), images, kernel);
    }

    /** No mounts under the roots, no cgroup of these containers, no child processes left. */
    public void assertNoLeaks(List<String> containerIds) throws Exception {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(base.toString())) {
                mounts.add(point);
            }
        }
        assertThat(mounts).as("mounts left under " + base).isEmpty();
        List<Path> cgroups = new ArrayList<>();
        try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path ctl : controllers.toList()) {
                for (String id : containerIds) {
                    Path dir = ctl.resolve("berth").resolve(id);
                    if (Files.exists(dir)) {
                        cgroups.add(dir);
                    }
                }
            }
        }
        assertThat(cgroups).as("cgroup directories left").isEmpty();
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        while (!children.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            children = ProcessHandle.current().children().toList();
        }
        assertThat(children).as("child processes left").extracting(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .isEmpty();
    }

    /**
     * The usual {@code @AfterEach}: every container removed (forced, with its anonymous volumes),
     * no leaks of those or of {@code alsoCheck} (ids of containers a test removed itself), then
     * {@link #close}, also when something failed.
     */
    public void removeAllCheckAndClose(java.util.Collection<String> alsoCheck) throws Exception {
        try {
            java.util.Set<String> ids = new java.util.LinkedHashSet<>(alsoCheck);
            if (engine != null) {
                for (dev.berth.engine.container.Container c : engine.list(true)) {
                    ids.add(c.id());
                    engine.remove(c.id(), true, true);
                }
            }
            assertNoLeaks(List.copyOf(ids));
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
        // whatever a failed test left mounted must not keep the tree from going
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
            String point = line.split(" ")[4];
            if (point.startsWith(base.toString())) {
                new ProcessBuilder("umount", "-l", point).inheritIO().start().onExit().join();
            }
        }
        for (Path parent : parentsToRemove) {
            try {
                Files.deleteIfExists(parent); // rmdir: fails, and stays, while another container is in it
            } catch (IOException stillInUse) {
                // someone else's container: theirs to remove
            }
        }
        if (Files.exists(base)) {
            Files.walkFileTree(base, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }
}
