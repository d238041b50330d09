package dev.berth.image.bench;

import dev.berth.image.io.FileTrees;
import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.registry.ProgressSink;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryDistribution;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.registry.RegistrySeeder;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pull throughput from Debian's docker-registry on 127.0.0.1, run by hand as root
 * (bench/registry-pull.sh): an image of {@code -Dlayers} gzip layers of {@code -Dmib} MiB of
 * tar each (files of compressible random bytes), pulled {@code -Druns} times per download
 * concurrency in {@code -Dconcurrency} (e.g. 1,3,6) into fresh data roots on overlayfs; prints
 * the median time to a registered image (the pull's end: bytes verified, layers pending) and to
 * every layer unpacked, in MiB/s of compressed bytes. With {@code -Ddockerd=true}, first the same
 * pulls by a private dockerd 20.10 through the docker CLI.
 */
public final class PullBench {
    public static void main(String[] args) throws Exception {
        int layers = Integer.getInteger("layers", 4);
        int mib = Integer.getInteger("mib", 50);
        int runs = Integer.getInteger("runs", 3);
        int[] concurrency = Arrays.stream(System.getProperty("concurrency", "1,3,6").split(",")).mapToInt(Integer::parseInt).toArray();
        Path work = Files.createTempDirectory(Path.of("/tmp"), "berth-pull-bench-");
        try (DockerRegistryProcess registry = DockerRegistryProcess.start()) {
            RegistryOptions options = new RegistryOptions(List.of(), List.of(), Path.of("/nonexistent"));
            Reference ref = Reference.parse(registry.domain() + "/bench/image:1");
            long compressed = seed(new RegistrySeeder(new RegistryClient(options), ref, RegistryCredentials.anonymous()), layers, mib);
            double totalMib = compressed / 1048576.0;
            System.out.printf("image: %d layers, %.1f MiB compressed%n", layers, totalMib);
            if (Boolean.getBoolean("dockerd")) {
                dockerd(work, ref, runs, totalMib);
            }
            for (int c : concurrency) {
                long[] pull = new long[runs];
                long[] unpacked = new long[runs];
                for (int r = 0; r <= runs; r++) { // run 0 warms up
                    Path root = work.resolve("c" + c + "-r" + r);
                    OverlaySnapshotter snapshots = new OverlaySnapshotter(root, new dev.berth.image.layer.LayerUnpacker(), true);
                    ImageService images = ImageService.open(root, snapshots);
                    RegistryDistribution d = new RegistryDistribution(images, options, c);
                    long t0 = System.nanoTime();
                    d.pull(ref, Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);
                    long t1 = System.nanoTime();
                    Image image = images.inspect(ref.toString());
                    snapshots.layer(image.topChainId().orElseThrow());
                    for (Image.Layer l : image.layers()) {
                        snapshots.layer(l.chainId());
                    }
                    long t2 = System.nanoTime();
                    if (r > 0) {
                        pull[r - 1] = t1 - t0;
                        unpacked[r - 1] = t2 - t0;
                    }
                    FileTrees.delete(root);
                }
                System.out.printf("concurrency %d: pull %.0f MiB/s (%.2f s), pull+unpack %.0f MiB/s (%.2f s)%n", c,
                        totalMib / (median(pull) / 1e9), median(pull) / 1e9, totalMib / (median(unpacked) / 1e9),
                        median(unpacked) / 1e9);
            }
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * The same pull by a private dockerd (Debian's 20.10: 127.0.0.0/8 is insecure by default),
     * through the docker CLI, the image removed between runs; dockerd's pull ends with its layers
     * extracted.
     */
    private static void dockerd(Path work, Reference ref, int runs, double totalMib) throws Exception {
        Path d = Files.createDirectories(work.resolve("dockerd"));
        String host = "unix://" + d.resolve("docker.sock");
        Process daemon = new ProcessBuilder("/usr/sbin/dockerd", "--data-root", d.resolve("data").toString(), "--exec-root",
                d.resolve("exec").toString(), "-H", host, "--pidfile", d.resolve("docker.pid").toString(), "--bridge=none",
                "--iptables=false", "--ip6tables=false").redirectErrorStream(true).redirectOutput(d.resolve("dockerd.log").toFile())
                .start();
        try {
            for (int i = 0; i < 150 && run("/usr/bin/docker", "-H", host, "version") != 0; i++) {
                Thread.sleep(200);
            }
            long[] pull = new long[runs];
            for (int r = 0; r <= runs; r++) {
                long t0 = System.nanoTime();
                if (run("/usr/bin/docker", "-H", host, "pull", "-q", ref.toString()) != 0) {
                    throw new IllegalStateException("docker pull failed: " + Files.readString(d.resolve("dockerd.log")));
                }
                long t1 = System.nanoTime();
                if (r > 0) {
                    pull[r - 1] = t1 - t0;
                }
                run("/usr/bin/docker", "-H", host, "rmi", ref.toString());
            }
            System.out.printf("dockerd 20.10: pull (layers extracted) %.0f MiB/s (%.2f s)%n", totalMib / (median(pull) / 1e9),
                    median(pull) / 1e9);
        } finally {
            daemon.destroy();
            daemon.waitFor();
            new ProcessBuilder("umount", "-R", d.resolve("data").toString()).start().waitFor();
        }
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static long seed(RegistrySeeder seeder, int layers, int mib) throws Exception {
        Random random = new Random(42);
        List<Digest> diffIds = new ArrayList<>();
        List<Descriptor> descriptors = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < layers; i++) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                byte[] file = new byte[1 << 20];
                for (int f = 0; f < mib; f++) {
                    for (int k = 0; k < file.length; k++) {
                        file[k] = (byte) ('a' + random.nextInt(40)); // compresses to about 70%
                    }
                    TarArchiveEntry e = new TarArchiveEntry("layer" + i + "/file" + f);
                    e.setSize(file.length);
                    e.setModTime(0);
                    out.putArchiveEntry(e);
                    out.write(file);
                    out.closeArchiveEntry();
                }
            }
            byte[] plain = tar.toByteArray();
            diffIds.add(Digest.sha256(plain));
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16)) {
                out.write(plain);
            }
            byte[] layer = gz.toByteArray();
            seeder.blob(layer);
            descriptors.add(Descriptor.of(MediaTypes.DOCKER_LAYER, layer));
            total += layer.length;
        }
        byte[] config = ImageJson.write(ImageConfig.of(Platform.host(), Instant.EPOCH, ImageConfig.Config.EMPTY, diffIds, List.of()));
        seeder.blob(config);
        seeder.manifest("1", MediaTypes.DOCKER_MANIFEST, ImageJson.write(ImageManifest.docker(
                Descriptor.of(MediaTypes.DOCKER_CONFIG, config), descriptors)));
        return total;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
