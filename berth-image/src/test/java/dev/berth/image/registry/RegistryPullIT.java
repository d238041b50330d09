package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.bootstrap.ImageBootstrap;
import dev.berth.image.registry.ProgressSink.Progress;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real image end to end: busybox bootstrapped into one data root, saved, copied into Debian's
 * docker-registry by skopeo (Docker schema 2 with gzip layers, and OCI), pulled into a second
 * data root on overlayfs, unpacked for real. Needs root (layers keep their owners), skopeo and
 * docker-registry.
 */
class RegistryPullIT {
    static Path tmp;
    static DockerRegistryProcess registry;
    static Digest busyboxId;
    static List<Digest> busyboxDiffIds;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status"))).contains("\nUid:\t0\t"),
                "needs root to unpack layers with their owners");
        assumeTrue(DockerRegistryProcess.available(), "needs Debian's docker-registry");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "needs skopeo");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "berth-regclient-it-");
        registry = DockerRegistryProcess.start();
        Path source = tmp.resolve("source");
        OverlaySnapshotter snapshots = new OverlaySnapshotter(source);
        ImageService service = ImageService.open(source, snapshots);
        ImageTransfer transfer = new ImageTransfer(source, service.content(), snapshots, ImageRegistry.of(service));
        busyboxId = new ImageBootstrap(source, transfer).busybox(List.of(Reference.parse("busybox:latest")), s -> { });
        busyboxDiffIds = service.inspect(busyboxId.toString()).config().diffIds();
        Path archive = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            transfer.save(List.of("busybox:latest"), out, ImageTransfer.Format.DOCKER);
        }
        skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + archive, "docker://" + registry.domain() + "/lib/busybox:schema2");
        skopeo("copy", "--dest-tls-verify=false", "--format", "oci", "docker-archive:" + archive,
                "docker://" + registry.domain() + "/lib/busybox:oci");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (tmp != null) {
            new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
        }
    }

    static void skopeo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("skopeo %s: %s", cmd, out).isZero();
    }

    @Test
    void pullsWhatSkopeoPushedAndUnpacksIt() {
        for (String tag : List.of("schema2", "oci")) {
            Path dest = tmp.resolve("dest-" + tag);
            OverlaySnapshotter snapshots = new OverlaySnapshotter(dest);
            ImageService images = ImageService.open(dest, snapshots);
            Reference ref = Reference.parse(registry.domain() + "/lib/busybox:" + tag);
            List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
            PullResult r = Distributions.create(images, RegistryPullTest.OPTIONS).pull(ref, Platform.host(),
                    RegistryCredentials.anonymous(), progress::add);
            Image image = images.inspect(ref.toString());
            if (tag.equals("schema2")) {
                assertThat(r.imageId()).isEqualTo(busyboxId); // the config's bytes made it through unchanged
            } else {
                assertThat(image.config().diffIds()).isEqualTo(busyboxDiffIds); // skopeo rewrote the config for OCI
            }
            assertThat(image.familiarRepoDigests()).containsExactly(ref.repository().withDigest(r.manifestDigest()).familiar());
            Path top = snapshots.layer(image.topChainId().orElseThrow()).dir();
            assertThat(top.resolve("bin/busybox")).exists();
            assertThat(progress).extracting(Progress::status).contains("Pull complete");
        }
    }
}
